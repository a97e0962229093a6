package dev.berth.mailproxy;

import java.util.Objects;

/**
 * An upstream address as written in the config or a user name: {@code host}, {@code host:port},
 * {@code [v6]} or {@code [v6]:port}. A value; compared exactly (host names case-insensitively).
 *
 * @param host a host name or IP literal, without brackets
 * @param port 1 to 65535
 */
record HostPort(String host, int port) {

    /** Checks the values; the host is lower-cased. */
    HostPort {
        Objects.requireNonNull(host, "host");
        if (host.isEmpty() || host.chars().anyMatch(c -> c <= ' ' || c == '/' || c == '@' || c == '#')) {
            throw new IllegalArgumentException("not a host: \"" + host + "\"");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        host = host.toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * Parses {@code host[:port]} or {@code [v6][:port]}.
     *
     * @param defaultPort the port when none is written
     * @throws IllegalArgumentException when the text is not such an address
     */
    static HostPort parse(String text, int defaultPort) {
        Objects.requireNonNull(text, "text");
        String host = text;
        String port = null;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("no ']' in \"" + text + "\"");
            }
            host = text.substring(1, close);
            String rest = text.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new IllegalArgumentException("junk after ']' in \"" + text + "\"");
                }
                port = rest.substring(1);
            }
        } else {
            int colon = text.indexOf(':');
            if (colon >= 0) {
                if (text.indexOf(':', colon + 1) >= 0) {
                    throw new IllegalArgumentException("an IPv6 address needs brackets: \"" + text + "\"");
                }
                host = text.substring(0, colon);
                port = text.substring(colon + 1);
            }
        }
        return new HostPort(host, port == null ? defaultPort : parsePort(port, text));
    }

    private static int parsePort(String port, String text) {
        if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("not a port in \"" + text + "\"");
        }
        return Integer.parseInt(port);
    }

    /** {@code host:port}, IPv6 in brackets. */
    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
