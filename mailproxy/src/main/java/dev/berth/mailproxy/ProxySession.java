package dev.berth.mailproxy;

import java.util.Optional;

/**
 * The protocol half of a proxy connection before its login, without a channel: reads the client's
 * commands from the buffered bytes, answers them, and says how to log in upstream and how to
 * answer the login's outcome. {@link ProxyFrontend} is the same for both protocols; everything
 * that differs between POP3 and IMAP is here.
 *
 * <p>One instance per connection, confined to its event loop; pure (no I/O).
 */
sealed interface ProxySession permits Pop3ProxySession, ImapProxySession {

    /**
     * The session for {@code protocol}.
     *
     * @param router picks the upstream of a login
     * @param tlsOffered whether STLS / STARTTLS is offered (the service has a TLS identity)
     */
    static ProxySession of(Protocol protocol, UpstreamRouter router, boolean tlsOffered) {
        return switch (protocol) {
            case POP3 -> new Pop3ProxySession(router, tlsOffered);
            case IMAP -> new ImapProxySession(router, tlsOffered);
        };
    }

    /** The greeting line, without CRLF. */
    String greeting();

    /** The longest command line the frontend's {@link LineBuffer} accepts, in bytes. */
    int maxLine();

    /**
     * Reads the next command from {@code in} and handles it; consumes only what it parsed.
     *
     * @return the step, or empty when more bytes are needed; a line over the bound yields a
     *     closing reply
     */
    Optional<ProxyStep> next(LineBuffer in);

    /** The dialogue that logs in upstream for the {@link ProxyStep.Login} this session returned last. */
    LoginDialogue dialogue(UpstreamLogin login);

    /** The client's answer to a successful upstream login (lines joined by CRLF, no final CRLF). */
    String loggedIn(LoginStep.Succeeded success);

    /**
     * Answers a login that failed upstream; further attempts are allowed.
     *
     * @param reply the failure's text: a whole line for POP3, the text after the tag for IMAP
     */
    ProxyStep loginFailed(String reply);

    /** The failure text when the login ended without a reply meant for the client. */
    String unavailable();

    /** The line that ends a connection at the prompt, such as {@code * BYE <reason>}. */
    String bye(String reason);
}
