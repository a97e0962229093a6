package dev.berth.config;

import java.util.Locale;
import java.util.Objects;

/**
 * A peer's address as written in the config or a user name: {@code host:port}, {@code [v6]:port},
 * or, where a protocol has a default port, {@code host} or {@code [v6]}. Unlike
 * {@link ListenAddress} the host may be a name; it is resolved only when used (by the caller, off
 * any event loop). An immutable value, compared exactly; host names are lower-cased.
 *
 * <p>One parser for every mail peer: the SMTP next hop ({@code relay-to:}), clamd
 * ({@code address:}), the proxies' upstreams ({@code upstream:}, {@code allow:}, user maps and
 * {@code user@host:port} names).
 *
 * @param host a host name or IP literal, without brackets; no spaces, controls, {@code /},
 *     {@code @} or {@code #}; at most 253 characters (the longest DNS name)
 * @param port 1 to 65535
 */
public record HostPort(String host, int port) {

    private static final int MAX_HOST = 253;

    /**
     * Checks the values and lower-cases the host.
     *
     * @throws IllegalArgumentException if the host is empty, longer than any host name, or has a
     *     character no host has, or the port is out of range
     * @throws NullPointerException if {@code host} is null
     */
    public HostPort {
        Objects.requireNonNull(host, "host");
        if (host.isEmpty() || host.chars().anyMatch(c -> c <= ' ' || c == 0x7f || c == '/' || c == '@' || c == '#')) {
            throw new IllegalArgumentException("not a host: " + Messages.quote(host));
        }
        if (host.length() > MAX_HOST) {
            throw new IllegalArgumentException("a host name has at most " + MAX_HOST + " characters, got " + host.length());
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is out of range (1 to 65535)");
        }
        host = host.toLowerCase(Locale.ROOT);
    }

    /**
     * Reads {@code host:port} or {@code [v6]:port}; the port is required.
     *
     * @throws IllegalArgumentException saying what is wrong, such as {@code "h" has no port}
     */
    public static HostPort parse(String text) {
        return parse(text, 0);
    }

    /**
     * Reads {@code host[:port]} or {@code [v6][:port]}.
     *
     * @param defaultPort the port when none is written; 0 when a port is required
     * @throws IllegalArgumentException saying what is wrong
     */
    public static HostPort parse(String text, int defaultPort) {
        Objects.requireNonNull(text, "text");
        String quoted = Messages.quote(text);
        String host = text;
        String port = null;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException(quoted + " has no closing bracket after the IPv6 address");
            }
            host = text.substring(1, close);
            String rest = text.substring(close + 1);
            if (!rest.isEmpty() && !rest.startsWith(":")) {
                throw new IllegalArgumentException(quoted + " has " + Messages.quote(rest) + " after the address instead of :port");
            }
            port = rest.isEmpty() ? null : rest.substring(1);
        } else {
            int colon = text.indexOf(':');
            if (colon >= 0) {
                if (text.indexOf(':', colon + 1) >= 0) {
                    throw new IllegalArgumentException(quoted + " needs brackets around an IPv6 address, like [::1]:25");
                }
                host = text.substring(0, colon);
                port = text.substring(colon + 1);
            }
        }
        if (port == null && defaultPort == 0) {
            throw new IllegalArgumentException(quoted + " has no port");
        }
        try {
            return new HostPort(host, port == null ? defaultPort : port(quoted, port));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(quoted + ": " + e.getMessage(), e);
        }
    }

    private static int port(String quoted, String digits) {
        if (digits.isEmpty() || digits.length() > 5 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException(quoted + " has port " + Messages.quote(digits) + ", which is not a number from 1 to 65535");
        }
        return Integer.parseInt(digits);
    }

    /** {@code host:port}, an IPv6 host in brackets; {@link #parse} reads it back. */
    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
