package dev.berth.mailproxy;

/**
 * The two proxied protocols: the kind name, the section key and the default upstream port.
 *
 * @param kind the {@code kind:} name, also the key of the kind's section
 * @param defaultPort the upstream port when a route names none
 */
enum Protocol {
    /** {@code pop3-proxy}, upstream port 110. */
    POP3("pop3-proxy", 110),
    /** {@code imap-proxy}, upstream port 143. */
    IMAP("imap-proxy", 143);

    private final String kind;
    private final int defaultPort;

    Protocol(String kind, int defaultPort) {
        this.kind = kind;
        this.defaultPort = defaultPort;
    }

    String kind() {
        return kind;
    }

    int defaultPort() {
        return defaultPort;
    }
}
