package dev.berth.scan;

import dev.berth.config.HostPort;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where clamd listens: a TCP host and port or a Unix socket path. Immutable; no name is resolved
 * until {@link #toSocketAddress()} is called (on a scanning thread, per connection).
 */
public sealed interface ClamdAddress {

    /** The address to connect to; resolves a TCP host name (blocking) when it is not numeric. */
    SocketAddress toSocketAddress();

    /**
     * A TCP address.
     *
     * @param host a name or numeric address, without brackets
     * @param port 1 to 65535
     */
    record Tcp(String host, int port) implements ClamdAddress {
        /** @throws IllegalArgumentException if the host is empty or the port out of range */
        public Tcp {
            Objects.requireNonNull(host, "host");
            if (host.isEmpty() || port < 1 || port > 65535) {
                throw new IllegalArgumentException("bad TCP address " + host + ":" + port);
            }
        }

        @Override
        public SocketAddress toSocketAddress() {
            return new InetSocketAddress(host, port);
        }

        /** {@code host:port}, with brackets around an IPv6 host. */
        @Override
        public String toString() {
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        }
    }

    /** A Unix domain socket, such as {@code /run/clamav/clamd.ctl}. */
    record Unix(Path path) implements ClamdAddress {
        /** @throws NullPointerException if {@code path} is null */
        public Unix {
            Objects.requireNonNull(path, "path");
        }

        @Override
        public SocketAddress toSocketAddress() {
            return UnixDomainSocketAddress.of(path);
        }

        /** {@code unix:/path}. */
        @Override
        public String toString() {
            return "unix:" + path;
        }
    }

    /**
     * Reads {@code host:port}, {@code [v6]:port} (see {@link HostPort}) or {@code unix:path}; a
     * relative Unix path is resolved against {@code base}. Pure.
     *
     * @throws IllegalArgumentException with a message that quotes the text and says what is wrong
     */
    static ClamdAddress parse(String text, Path base) {
        if (text.startsWith("unix:")) {
            String path = text.substring("unix:".length());
            if (path.isEmpty()) {
                throw new IllegalArgumentException("\"" + text + "\" has no socket path");
            }
            return new Unix(base.resolve(path).normalize());
        }
        HostPort tcp = HostPort.parse(text);
        return new Tcp(tcp.host(), tcp.port());
    }
}
