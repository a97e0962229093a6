package dev.berth.mailproxy;

import dev.berth.service.RequestCounter;
import io.netty.handler.ssl.SslContext;
import java.util.Objects;
import java.util.Optional;

/**
 * What every connection of one proxy service shares: settings, router, upstream connector, the
 * client-side TLS context and what scanning needs. Immutable and thread-safe; owned by the service
 * handler.
 *
 * @param settings the parsed section
 * @param router picks upstreams
 * @param connector opens and logs in upstream connections
 * @param clientTls the server context for STLS / STARTTLS, if the service has a TLS identity
 * @param scan the scanner, its executor and spool (POP3 with {@code scan:}), if any
 * @param requests counts proxied sessions
 */
record ProxyRuntime(ProxySettings settings, UpstreamRouter router, UpstreamConnector connector,
                    Optional<SslContext> clientTls, Optional<ScanRuntime> scan, RequestCounter requests) {

    /** Checks the arguments. */
    ProxyRuntime {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(router, "router");
        Objects.requireNonNull(connector, "connector");
        Objects.requireNonNull(clientTls, "clientTls");
        Objects.requireNonNull(scan, "scan");
        Objects.requireNonNull(requests, "requests");
    }
}
