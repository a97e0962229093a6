package dev.berth.mailproxy;

/**
 * The client side of one upstream login, as a pure state machine fed with the upstream's lines:
 * greeting, optional STLS / STARTTLS, optional client-address forwarding, then the login. One
 * instance per attempt; confined to the upstream connection's event loop; never blocks.
 */
interface LoginDialogue {

    /** The first step, right after the TCP (or TLS) connection is up; usually {@link LoginStep.Wait}. */
    LoginStep start();

    /** The next step after a line from upstream (without CRLF). */
    LoginStep onLine(String line);

    /** The next step once the TLS handshake asked for by {@link LoginStep.StartTls} completed. */
    LoginStep onTlsReady();

    /**
     * The failure to report when the upstream cannot be reached or does not answer in time.
     *
     * @param why a short reason without secrets, such as {@code connection refused}
     */
    LoginStep.Failed unavailable(String why);

    /** A line from upstream for a failure text: quoted, at most 80 characters, non-ASCII as {@code ?}. */
    static String brief(String line) {
        String cut = line.length() > 80 ? line.substring(0, 80) + "..." : line;
        return "\"" + cut.replaceAll("[^\\x20-\\x7e]", "?") + "\"";
    }
}
