package dev.berth.smtp;

import java.util.function.Predicate;

/**
 * Who may send to which recipient: a recipient in a local domain (or the {@link Postmaster}, which
 * it rewrites to the configured mailbox) is taken from anyone; any other needs a client that may relay (authenticated, or in
 * {@code relay-networks:}) and a next hop ({@code relay-to:} or {@code deliver: relay}). The
 * transport then decides on each recipient this lets through (mailbox exists, next hop agrees).
 *
 * <p>An immutable value: any thread; never blocks (the domain predicate looks at settings and the
 * users file already in memory). Refusals are replies, never exceptions.
 *
 * @param localDomain whether a lower-case domain is local
 * @param relayTo a next hop is configured for non-local recipients
 * @param postmaster where {@code <Postmaster>} and {@code postmaster@} a local domain go
 */
record RelayPolicy(Predicate<String> localDomain, boolean relayTo, Postmaster postmaster) {

    /** What becomes of one RCPT. */
    sealed interface Decision {
        /**
         * Passed to the transport.
         *
         * @param path the forward path, a postmaster's replaced by its mailbox
         * @param local whether it is in a local domain
         */
        record Accept(String path, boolean local) implements Decision {
        }

        /** Refused with this reply (554 or 550 5.7.1). */
        record Refuse(SmtpReply reply) implements Decision {
        }
    }

    /** The policy of a session's settings. */
    static RelayPolicy of(SessionConfig config) {
        return new RelayPolicy(config.localDomain(), config.relayTo(), config.postmaster());
    }

    /**
     * Decides on one recipient.
     *
     * @param path the forward path as given in RCPT
     * @param mayRelay the client authenticated or is in {@code relay-networks:}
     */
    Decision decide(String path, boolean mayRelay) {
        String domain = MailAddress.domain(path);
        boolean postmasterAlias = Postmaster.names(path) && (domain.isEmpty() || localDomain.test(domain));
        String target = postmasterAlias ? postmaster.mailbox(domain) : path;
        boolean local = postmasterAlias || localDomain.test(domain);
        if (!local && !mayRelay) {
            return new Decision.Refuse(SmtpReply.of(554, "5.7.1", "<" + path + ">: Relay access denied"));
        }
        if (!local && !relayTo) {
            return new Decision.Refuse(SmtpReply.of(550, "5.7.1", "<" + path + ">: Relaying not configured"));
        }
        return new Decision.Accept(target, local);
    }
}
