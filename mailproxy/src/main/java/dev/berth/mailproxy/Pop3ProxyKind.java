package dev.berth.mailproxy;

/**
 * The {@code pop3-proxy} kind: answers the greeting, CAPA, STLS, USER/PASS and AUTH PLAIN itself,
 * picks the upstream (fixed by {@code upstream:}, or from the user name with {@code route:}, only
 * among {@code allow:}), logs in there and then relays bytes both ways; with {@code scan:}, RETR'd
 * and TOP'd messages are scanned and an infected one is replaced by a same-sized notice.
 *
 * <pre>
 * services:
 *   - name: pop3-generic
 *     kind: pop3-proxy
 *     listen: ["0.0.0.0:1210"]
 *     pop3-proxy: {route: user-at-host, allow: ["127.0.0.1:11110"], scan: [sig]}
 * </pre>
 *
 * <p>A failed upstream login answers {@code -ERR [AUTH] ...} (the upstream's text) or
 * {@code -ERR [SYS/TEMP] ...} (upstream unreachable) and leaves the connection open for another
 * attempt. Found through {@link java.util.ServiceLoader}; stateless and thread-safe. See
 * {@code ProxySettings} for the keys; the work is done in {@link ProxyKind}.
 */
public final class Pop3ProxyKind extends ProxyKind {

    /** Creates the kind; called by {@link java.util.ServiceLoader}. */
    public Pop3ProxyKind() {
        super(Protocol.POP3);
    }
}
