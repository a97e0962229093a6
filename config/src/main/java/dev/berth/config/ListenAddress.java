package dev.berth.config;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * One address a service listens on: a numeric IP address and a port. Immutable and thread-safe;
 * nothing here resolves names or touches the network.
 *
 * @param host a numeric IPv4 or IPv6 address, without brackets; kept in its canonical spelling
 *     ({@code 0:0:0:0:0:0:0:1} becomes {@code ::1}) so that equal addresses are equal records
 * @param port 0 to 65535; 0 asks the kernel for any free port
 */
public record ListenAddress(String host, int port) {

    /** What a listen address may be, for messages. */
    static final String ACCEPTED = "a numeric address and a port, like 127.0.0.1:8080, [::1]:8080 or *:8080"
            + " (* = 0.0.0.0; port 0 to 65535, 0 = any free port)";

    /**
     * Checks and canonicalises the host and checks the port.
     *
     * @throws IllegalArgumentException if the host is not a numeric IP address or the port is out
     *     of range
     * @throws NullPointerException if {@code host} is null
     */
    public ListenAddress {
        Objects.requireNonNull(host, "host");
        String given = host;
        host = IpLiteral.canonical(host).orElseThrow(() -> new IllegalArgumentException(
                "host " + Messages.quote(given) + " is not a numeric IPv4 or IPv6 address (names are not resolved)"));
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is out of range (0 to 65535)");
        }
    }

    /** The socket address to bind, made from the numeric host without any name lookup. */
    public InetSocketAddress toSocketAddress() {
        return new InetSocketAddress(IpLiteral.address(host), port);
    }

    /** Whether the host is an IPv6 address. */
    public boolean ipv6() {
        return host.indexOf(':') >= 0;
    }

    /** {@code 127.0.0.1:8080}, {@code [::1]:8080} or {@code 0.0.0.0:0}; {@link #parse} reads it back. */
    @Override
    public String toString() {
        return (ipv6() ? "[" + host + "]" : host) + ":" + port;
    }

    /**
     * Reads {@code host:port}: host is a dotted IPv4 address, an IPv6 address in brackets, or
     * {@code *} for {@code 0.0.0.0}; port is 0 to 65535.
     *
     * @throws IllegalArgumentException with a message that quotes the text and says what is wrong,
     *     such as {@code "127.0.0.1" has no port}
     * @throws NullPointerException if {@code text} is null
     */
    public static ListenAddress parse(String text) {
        Objects.requireNonNull(text, "text");
        String quoted = Messages.quote(text);
        String host;
        String rest;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException(quoted + " has no closing bracket after the IPv6 address");
            }
            host = text.substring(1, close);
            rest = text.substring(close + 1);
            if (!rest.isEmpty() && !rest.startsWith(":")) {
                throw new IllegalArgumentException(quoted + " has " + Messages.quote(rest) + " after the address instead of :port");
            }
        } else {
            int colon = text.lastIndexOf(':');
            host = colon < 0 ? text : text.substring(0, colon);
            rest = colon < 0 ? "" : text.substring(colon);
            if (host.contains(":")) {
                throw new IllegalArgumentException(quoted + " needs brackets around the IPv6 address, like [::1]:8080");
            }
        }
        if (rest.isEmpty()) {
            throw new IllegalArgumentException(quoted + " has no port");
        }
        int port = port(quoted, rest.substring(1));
        String canonical = host.equals("*") ? "0.0.0.0" : host;
        try {
            return new ListenAddress(canonical, port);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(quoted + ": " + e.getMessage(), e);
        }
    }

    private static int port(String quoted, String digits) {
        if (digits.isEmpty() || digits.length() > 5 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException(quoted + " has port " + Messages.quote(digits) + ", which is not a number from 0 to 65535");
        }
        int port = Integer.parseInt(digits);
        if (port > 65535) {
            throw new IllegalArgumentException(quoted + " has port " + port + ", which is out of range (0 to 65535)");
        }
        return port;
    }
}
