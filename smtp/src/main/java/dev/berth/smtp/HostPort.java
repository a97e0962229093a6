package dev.berth.smtp;

import java.util.Optional;

/**
 * A {@code host:port} (or {@code [v6]:port}) as written in the config; resolved only when used.
 *
 * @param host the name or literal, without brackets
 * @param port 1..65535
 */
record HostPort(String host, int port) {

    /** Checks the port and that the host is not empty. */
    HostPort {
        if (host.isEmpty() || port < 1 || port > 65535) {
            throw new IllegalArgumentException("not host:port: " + host + ":" + port);
        }
    }

    /** Parses {@code host:port}; empty when the text is not one. No I/O. */
    static Optional<HostPort> parse(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || !text.substring(colon + 1).matches("[0-9]{1,5}")) {
            return Optional.empty();
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.indexOf(':') >= 0) {
            return Optional.empty();
        }
        int port = Integer.parseInt(text.substring(colon + 1));
        if (host.isEmpty() || port < 1 || port > 65535) {
            return Optional.empty();
        }
        return Optional.of(new HostPort(host, port));
    }

    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
