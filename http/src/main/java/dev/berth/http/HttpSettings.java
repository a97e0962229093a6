package dev.berth.http;

import dev.berth.config.ConfigSection;
import dev.berth.service.ServiceSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code http:} section of a service of kind {@code http}.
 *
 * <pre>
 * http:
 *   response: "hello\n"                         # body of the fixed response (UTF-8), when no root
 *   content-type: "text/plain; charset=utf-8"   # its content type
 *   root: site                                  # optional: serve static files from this directory
 *   index: index.html                           # file served for a directory
 *   keep-alive-timeout: 60s                     # idle keep-alive connections are closed after this
 *   header-timeout: 10s                         # a request head must arrive whole within this
 *   max-requests-per-connection: 0              # 0 = unlimited
 * </pre>
 *
 * @param response the fixed response body, used when {@code root} is absent
 * @param contentType the fixed response's content type: visible ASCII and spaces only
 * @param root the static file directory, resolved against the config file's directory; not
 *     checked for existence here (parsing does no I/O), but when the handler is created
 * @param index the file name served for a directory: one path segment
 * @param keepAliveTimeout how long a connection may stay idle; positive
 * @param headerTimeout how long a request head may take to arrive whole, counted from the
 *     connection's start for its first request and from a request's first byte for the next ones
 *     (as nginx's {@code client_header_timeout}); past it, the connection is closed, with a 408
 *     when part of a head had come; positive
 * @param maxRequestsPerConnection responses after which a connection is closed; 0 = unlimited
 */
record HttpSettings(
        String response,
        String contentType,
        Optional<Path> root,
        String index,
        Duration keepAliveTimeout,
        Duration headerTimeout,
        int maxRequestsPerConnection) implements ServiceSettings {

    static final String DEFAULT_RESPONSE = "hello\n";
    static final String DEFAULT_CONTENT_TYPE = "text/plain; charset=utf-8";
    static final String DEFAULT_INDEX = "index.html";
    static final Duration DEFAULT_KEEP_ALIVE_TIMEOUT = Duration.ofSeconds(60);
    static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(10);

    private static final Set<String> KEYS = Collections.unmodifiableSequencedSet(new LinkedHashSet<>(List.of(
            "response", "content-type", "root", "index", "keep-alive-timeout",
            "header-timeout", "max-requests-per-connection")));

    /** Checks the values; the messages name the config key. */
    HttpSettings {
        Objects.requireNonNull(response, "response");
        Objects.requireNonNull(root, "root");
        if (!isHeaderValue(contentType) || contentType.isBlank()) {
            throw new IllegalArgumentException("content-type: not a header value: " + contentType);
        }
        if (!isFileName(index)) {
            throw new IllegalArgumentException("index: not a file name: " + index);
        }
        if (keepAliveTimeout.isNegative() || keepAliveTimeout.isZero()) {
            throw new IllegalArgumentException("keep-alive-timeout: not positive: " + keepAliveTimeout);
        }
        if (headerTimeout.isNegative() || headerTimeout.isZero()) {
            throw new IllegalArgumentException("header-timeout: not positive: " + headerTimeout);
        }
        if (maxRequestsPerConnection < 0) {
            throw new IllegalArgumentException(
                    "max-requests-per-connection: negative: " + maxRequestsPerConnection);
        }
    }

    /** The defaults: a fixed {@code hello\n}, no root. */
    static HttpSettings defaults() {
        return new HttpSettings(DEFAULT_RESPONSE, DEFAULT_CONTENT_TYPE, Optional.empty(), DEFAULT_INDEX,
                DEFAULT_KEEP_ALIVE_TIMEOUT, DEFAULT_HEADER_TIMEOUT, 0);
    }

    /**
     * Parses a section; does no I/O.
     *
     * @throws dev.berth.config.ConfigException naming the key, the value and what is accepted
     */
    static HttpSettings parse(ConfigSection section) {
        section.rejectUnknownKeys(KEYS);
        String contentType = section.string("content-type", DEFAULT_CONTENT_TYPE);
        if (!isHeaderValue(contentType) || contentType.isBlank()) {
            throw section.error("content-type", quoted(contentType) + " is not a usable header value",
                    "a media type in printable ASCII, such as \"text/html; charset=utf-8\"");
        }
        String index = section.string("index", DEFAULT_INDEX);
        if (!isFileName(index)) {
            throw section.error("index", quoted(index) + " is not a plain file name",
                    "one file name without '/', such as index.html");
        }
        Duration keepAlive = positiveDuration(section, "keep-alive-timeout", DEFAULT_KEEP_ALIVE_TIMEOUT);
        Duration header = positiveDuration(section, "header-timeout", DEFAULT_HEADER_TIMEOUT);
        return new HttpSettings(
                section.string("response", DEFAULT_RESPONSE),
                contentType,
                section.file("root"),
                index,
                keepAlive,
                header,
                section.integer("max-requests-per-connection", 0, 0, Integer.MAX_VALUE));
    }

    private static Duration positiveDuration(ConfigSection section, String key, Duration fallback) {
        Duration value = section.duration(key, fallback);
        if (value.isNegative() || value.isZero()) {
            throw section.error(key, quoted(section.string(key, "")) + " is not longer than zero",
                    "a positive duration such as 500ms, 15s or 5m");
        }
        return value;
    }

    private static String quoted(String value) {
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    private static boolean isHeaderValue(String value) {
        return value.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
    }

    private static boolean isFileName(String name) {
        return !name.isEmpty() && !name.equals(".") && !name.equals("..")
                && name.indexOf('/') < 0 && name.indexOf('\0') < 0;
    }
}
