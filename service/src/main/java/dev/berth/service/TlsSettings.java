package dev.berth.service;

import dev.berth.config.ConfigSection;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLException;

/**
 * A service's TLS identity: {@code tls: {cert: cert.pem, key: key.pem}} in a kind's section, paths
 * relative to the config file. Shared by every kind that offers STARTTLS, STLS or TLS.
 *
 * @param cert the PEM certificate chain, leaf first
 * @param key the PEM private key (PKCS#8, as {@code openssl req -nodes} writes it)
 */
public record TlsSettings(Path cert, Path key) {

    private static final Set<String> KEYS = Set.of("cert", "key");

    /** Checks the arguments. */
    public TlsSettings {
        Objects.requireNonNull(cert, "cert");
        Objects.requireNonNull(key, "key");
    }

    /**
     * Reads {@code parent.key} when present. Pure: the files are read by {@link #serverContext}.
     *
     * @return empty when the key is absent
     * @throws dev.berth.config.ConfigException when the section has unknown keys or lacks cert or key
     */
    public static Optional<TlsSettings> parse(ConfigSection parent, String key) {
        if (!parent.has(key)) {
            return Optional.empty();
        }
        ConfigSection section = parent.section(key);
        section.rejectUnknownKeys(KEYS);
        Path cert = section.file("cert").orElseThrow(() -> section.error("cert", "missing", "a PEM certificate file"));
        Path keyFile = section.file("key").orElseThrow(() -> section.error("key", "missing", "a PEM private key file"));
        return Optional.of(new TlsSettings(cert, keyFile));
    }

    /**
     * Builds the server context. Blocking (reads both files); call from
     * {@link ServiceKind#newHandler}, never on an event loop.
     *
     * @throws IOException when a file cannot be read or does not hold a certificate or key
     */
    public SslContext serverContext() throws IOException {
        try {
            return SslContextBuilder.forServer(cert.toFile(), key.toFile()).build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IOException("cannot load TLS identity " + cert + " / " + key + ": " + e.getMessage(), e);
        }
    }
}
