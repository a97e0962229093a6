package dev.berth.http;

import dev.berth.config.ConfigSection;
import dev.berth.service.ServiceContext;
import dev.berth.service.ServiceHandler;
import dev.berth.service.ServiceKind;
import dev.berth.service.ServiceSettings;
import java.time.InstantSource;

/**
 * The {@code http} kind: HTTP/1.0 and 1.1 with keep-alive and pipelining, answering GET and HEAD
 * with a fixed response (the benchmark case) or with static files from a {@code root} directory.
 * Other methods get 405; unreadable requests, ambiguous framing (request smuggling) and a missing
 * or bad Host get 400, a head slower than {@code header-timeout} 408 (then the connection closes).
 *
 * <pre>
 * services:
 *   - name: web
 *     kind: http
 *     listen: ["0.0.0.0:8080"]
 *     http: {root: site, index: index.html, keep-alive-timeout: 60s}
 * </pre>
 *
 * <p>Found through {@link java.util.ServiceLoader}; stateless and thread-safe. See
 * {@code HttpSettings} for the keys of the {@code http:} section.
 */
public final class HttpKind implements ServiceKind {

    /** Creates the kind; called by {@link java.util.ServiceLoader}. */
    public HttpKind() {
    }

    /** Returns {@code http}. */
    @Override
    public String name() {
        return "http";
    }

    /** RFC 9110's 421 Misdirected Request: this server does not answer for the address. */
    @Override
    public java.util.Optional<String> refusal() {
        return java.util.Optional.of("HTTP/1.1 421 Misdirected Request\r\ncontent-type: text/plain\r\n"
                + "content-length: 30\r\nconnection: close\r\n\r\nNo service for this address.\r\n");
    }

    /**
     * Parses the {@code http:} section: {@code response}, {@code content-type}, {@code root},
     * {@code index}, {@code keep-alive-timeout}, {@code header-timeout}, {@code
     * max-requests-per-connection}. Does no I/O:
     * a missing root is found when the handler is created.
     *
     * @throws dev.berth.config.ConfigException for an unknown key or a bad value
     */
    @Override
    public ServiceSettings parseSettings(ConfigSection section) {
        return HttpSettings.parse(section);
    }

    /**
     * Creates the service's handler. Blocks briefly to resolve the static root, if any.
     *
     * @throws IllegalArgumentException when the settings were not made by this kind
     * @throws java.io.UncheckedIOException when the root does not exist or is not a directory
     */
    @Override
    public ServiceHandler newHandler(ServiceSettings settings, ServiceContext context) {
        if (!(settings instanceof HttpSettings http)) {
            throw new IllegalArgumentException("settings: not from the http kind: " + settings);
        }
        return HttpServiceHandler.create(http, context, InstantSource.system());
    }
}
