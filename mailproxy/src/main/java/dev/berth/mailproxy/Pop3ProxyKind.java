package dev.berth.mailproxy;

import dev.berth.config.ConfigSection;
import dev.berth.config.HostConfig;
import dev.berth.service.ServiceContext;
import dev.berth.service.ServiceHandler;
import dev.berth.service.ServiceKind;
import dev.berth.service.ServiceSettings;

/**
 * The {@code pop3-proxy} kind: answers the greeting, CAPA, STLS, USER/PASS and AUTH PLAIN itself,
 * picks the upstream (fixed by {@code upstream:}, or from the user name with {@code route:}, only
 * among {@code allow:}), logs in there and then relays bytes both ways; with {@code scan:}, RETR'd
 * and TOP'd messages are scanned and an infected one is replaced by a same-sized notice.
 *
 * <pre>
 * services:
 *   - name: pop3-generic
 *     kind: pop3-proxy
 *     listen: ["0.0.0.0:1210"]
 *     pop3-proxy: {route: user-at-host, allow: ["127.0.0.1:11110"], scan: [sig]}
 * </pre>
 *
 * <p>A failed upstream login answers {@code -ERR [AUTH] ...} (the upstream's text) or
 * {@code -ERR [SYS/TEMP] ...} (upstream unreachable) and leaves the connection open for another
 * attempt. Found through {@link java.util.ServiceLoader}; stateless and thread-safe. See
 * {@code ProxySettings} for the keys.
 */
public final class Pop3ProxyKind implements ServiceKind {

    /** Creates the kind; called by {@link java.util.ServiceLoader}. */
    public Pop3ProxyKind() {
    }

    /** Returns {@code pop3-proxy}. */
    @Override
    public String name() {
        return Protocol.POP3.kind();
    }

    /**
     * Parses a section that names no scanners (there is no {@code scanners:} section at hand).
     *
     * @throws dev.berth.config.ConfigException for an unknown key or a bad value
     */
    @Override
    public ServiceSettings parseSettings(ConfigSection section) {
        return ProxySettings.parse(section, (HostConfig) null, Protocol.POP3);
    }

    /**
     * Parses the {@code pop3-proxy:} section; {@code scan:} names are looked up in the file's
     * {@code scanners:}. Pure: no I/O.
     *
     * @throws dev.berth.config.ConfigException for an unknown key or a bad value
     */
    @Override
    public ServiceSettings parseSettings(ConfigSection section, HostConfig host) {
        return ProxySettings.parse(section, host, Protocol.POP3);
    }

    /**
     * Creates the service's handler: reads the user map and TLS files (blocking).
     *
     * @throws IllegalArgumentException when the settings were not made by this kind
     * @throws java.io.UncheckedIOException when a file cannot be read
     */
    @Override
    public ServiceHandler newHandler(ServiceSettings settings, ServiceContext context) {
        if (!(settings instanceof ProxySettings proxy) || proxy.protocol() != Protocol.POP3) {
            throw new IllegalArgumentException("settings: not from the pop3-proxy kind: " + settings);
        }
        return ProxyServiceHandler.create(proxy, context, Pop3ProxyFrontend::new);
    }
}
