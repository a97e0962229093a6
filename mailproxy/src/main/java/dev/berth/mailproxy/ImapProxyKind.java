package dev.berth.mailproxy;

/**
 * The {@code imap-proxy} kind: answers the pre-authentication part of IMAP4rev1 itself
 * (CAPABILITY, STARTTLS, LOGIN with quoted strings and literals, AUTHENTICATE PLAIN with SASL-IR,
 * ID, NOOP, LOGOUT), picks the upstream (fixed by {@code upstream:}, or from the user name with
 * {@code route:}, only among {@code allow:}), logs in there (STARTTLS and
 * {@code ID ("x-originating-ip" ...)} when configured), answers the client's LOGIN with the
 * upstream's tagged OK and then relays bytes both ways.
 *
 * <pre>
 * services:
 *   - name: imap
 *     kind: imap-proxy
 *     listen: ["0.0.0.0:1143"]
 *     imap-proxy: {route: user-map, user-map: users.map, allow: ["127.0.0.1:11143"]}
 * </pre>
 *
 * <p>A failed upstream login answers the upstream's own {@code NO [AUTHENTICATIONFAILED] ...} or
 * {@code NO [UNAVAILABLE] ...} (upstream unreachable) and leaves the connection open for another
 * attempt. Found through {@link java.util.ServiceLoader}; stateless and thread-safe. See
 * {@code ProxySettings} for the keys; the work is done in {@link ProxyKind}.
 */
public final class ImapProxyKind extends ProxyKind {

    /** Creates the kind; called by {@link java.util.ServiceLoader}. */
    public ImapProxyKind() {
        super(Protocol.IMAP);
    }
}
