package dev.berth.mailproxy;

import java.util.Objects;

/**
 * The not-authenticated state of an IMAP proxy connection, without a channel: CAPABILITY,
 * STARTTLS, LOGIN, AUTHENTICATE PLAIN (with SASL-IR or a continuation), ID, NOOP and LOGOUT.
 * A routed login yields {@link ImapStep.Login}; a name the router refuses gets
 * {@code NO [AUTHENTICATIONFAILED]} and nothing is connected. Other commands get {@code BAD}; after
 * ten refusals the connection is closed.
 *
 * <p>Confined to the connection's event loop; pure (no I/O).
 */
final class ImapProxySession {

    private static final int MAX_ERRORS = 10;

    private final UpstreamRouter router;
    private final boolean tlsOffered;
    private boolean tlsActive;
    private String saslTag;
    private int errors;

    /**
     * @param router picks the upstream of a login
     * @param tlsOffered whether STARTTLS is offered
     */
    ImapProxySession(UpstreamRouter router, boolean tlsOffered) {
        this.router = Objects.requireNonNull(router, "router");
        this.tlsOffered = tlsOffered;
    }

    /** The greeting, with the capabilities as a response code. */
    String greeting() {
        return "* OK [CAPABILITY " + capabilities() + "] berth IMAP proxy ready.";
    }

    /** The tag of an AUTHENTICATE waiting for the client's response line, if any. */
    java.util.Optional<String> saslTag() {
        return java.util.Optional.ofNullable(saslTag);
    }

    /** The next step for a command. */
    ImapStep handle(ImapCommand command) {
        String tag = command.tag();
        return switch (command) {
            case ImapCommand.Capability c -> reply("* CAPABILITY " + capabilities() + "\r\n" + tag + " OK CAPABILITY completed");
            case ImapCommand.StartTls s -> {
                if (!tlsOffered || tlsActive) {
                    yield bad(tag, tlsActive ? "TLS is already active" : "STARTTLS not available");
                }
                tlsActive = true;
                yield new ImapStep.StartTls(tag + " OK Begin TLS negotiation now");
            }
            case ImapCommand.Login l -> login(tag, new Credentials(l.user(), l.password()));
            case ImapCommand.Authenticate a -> authenticate(a);
            case ImapCommand.SaslResponse r -> {
                saslTag = null;
                yield r.text().equals("*") ? bad(tag, "AUTHENTICATE cancelled") : plain(tag, r.text());
            }
            case ImapCommand.Id i -> reply("* ID (\"name\" \"berth\")\r\n" + tag + " OK ID completed");
            case ImapCommand.Noop n -> reply(tag + " OK NOOP completed");
            case ImapCommand.Logout l -> new ImapStep.Reply("* BYE logging out\r\n" + tag + " OK LOGOUT completed", true);
            case ImapCommand.Other o -> bad(tag, o.verb() + " is not allowed before login");
            case ImapCommand.Bad b -> bad(tag.isEmpty() ? "*" : tag, b.text());
        };
    }

    /** Answers a login that failed upstream with its text (after the tag); more attempts are allowed. */
    ImapStep loginFailed(String tag, String reply) {
        errors++;
        return reply(tag + " " + reply);
    }

    private ImapStep authenticate(ImapCommand.Authenticate a) {
        if (!a.mechanism().equals("PLAIN")) {
            return no(a.tag(), "unsupported mechanism");
        }
        if (a.initial().isEmpty()) {
            saslTag = a.tag();
            return reply("+ ");
        }
        return plain(a.tag(), a.initial().equals("=") ? "" : a.initial());
    }

    private ImapStep plain(String tag, String response) {
        return Credentials.fromPlain(response).map(c -> login(tag, c))
                .orElseGet(() -> bad(tag, "malformed PLAIN response"));
    }

    private ImapStep login(String tag, Credentials credentials) {
        if (!ImapLoginDialogue.quotable(credentials.user()) || !ImapLoginDialogue.quotable(credentials.password())) {
            return no(tag, "user names and passwords with CR, LF or NUL cannot be proxied");
        }
        return switch (router.route(credentials.user())) {
            case Routing.Routed routed -> new ImapStep.Login(tag, routed, credentials.password());
            case Routing.Refused refused -> no(tag, refused.reason());
        };
    }

    private String capabilities() {
        return "IMAP4rev1 SASL-IR ID " + (tlsOffered && !tlsActive ? "STARTTLS " : "") + "AUTH=PLAIN";
    }

    private static ImapStep reply(String text) {
        return new ImapStep.Reply(text, false);
    }

    private ImapStep no(String tag, String text) {
        return refusal(tag + " NO [AUTHENTICATIONFAILED] " + text);
    }

    private ImapStep bad(String tag, String text) {
        return refusal(tag + " BAD " + text);
    }

    private ImapStep refusal(String text) {
        errors++;
        return errors >= MAX_ERRORS ? new ImapStep.Reply(text + "\r\n* BYE too many errors", true) : reply(text);
    }
}
