package dev.berth.mailproxy;

/** How the proxy secures its connection to the upstream: {@code upstream-tls:}. */
enum UpstreamTls {
    /** Plain text. */
    NONE,
    /** Plain connect, then STLS (POP3) or STARTTLS (IMAP) before the login. */
    STARTTLS,
    /** TLS from the first byte (POP3S, IMAPS). */
    TLS
}
