package dev.berth.mailproxy;

import dev.berth.config.ConfigSection;
import dev.berth.config.HostConfig;
import dev.berth.service.ServiceContext;
import dev.berth.service.ServiceHandler;
import dev.berth.service.ServiceKind;
import dev.berth.service.ServiceSettings;

/**
 * The {@code imap-proxy} kind: answers the pre-authentication part of IMAP4rev1 itself
 * (CAPABILITY, STARTTLS, LOGIN with quoted strings and literals, AUTHENTICATE PLAIN with SASL-IR,
 * ID, NOOP, LOGOUT), picks the upstream (fixed by {@code upstream:}, or from the user name with
 * {@code route:}, only among {@code allow:}), logs in there (STARTTLS and
 * {@code ID ("x-originating-ip" ...)} when configured), answers the client's LOGIN with the
 * upstream's tagged OK and then relays bytes both ways.
 *
 * <pre>
 * services:
 *   - name: imap
 *     kind: imap-proxy
 *     listen: ["0.0.0.0:1143"]
 *     imap-proxy: {route: user-map, user-map: users.map, allow: ["127.0.0.1:11143"]}
 * </pre>
 *
 * <p>A failed upstream login answers the upstream's own {@code NO [AUTHENTICATIONFAILED] ...} or
 * {@code NO [UNAVAILABLE] ...} (upstream unreachable) and leaves the connection open for another
 * attempt. Found through {@link java.util.ServiceLoader}; stateless and thread-safe. See
 * {@code ProxySettings} for the keys.
 */
public final class ImapProxyKind implements ServiceKind {

    /** Creates the kind; called by {@link java.util.ServiceLoader}. */
    public ImapProxyKind() {
    }

    /** Returns {@code imap-proxy}. */
    @Override
    public String name() {
        return Protocol.IMAP.kind();
    }

    /**
     * Parses the {@code imap-proxy:} section. Pure: no I/O.
     *
     * @throws dev.berth.config.ConfigException for an unknown key or a bad value
     */
    @Override
    public ServiceSettings parseSettings(ConfigSection section) {
        return ProxySettings.parse(section, (HostConfig) null, Protocol.IMAP);
    }

    /**
     * Parses the {@code imap-proxy:} section (which has no {@code scan:}). Pure: no I/O.
     *
     * @throws dev.berth.config.ConfigException for an unknown key or a bad value
     */
    @Override
    public ServiceSettings parseSettings(ConfigSection section, HostConfig host) {
        return ProxySettings.parse(section, host, Protocol.IMAP);
    }

    /**
     * Creates the service's handler: reads the user map and TLS files (blocking).
     *
     * @throws IllegalArgumentException when the settings were not made by this kind
     * @throws java.io.UncheckedIOException when a file cannot be read
     */
    @Override
    public ServiceHandler newHandler(ServiceSettings settings, ServiceContext context) {
        if (!(settings instanceof ProxySettings proxy) || proxy.protocol() != Protocol.IMAP) {
            throw new IllegalArgumentException("settings: not from the imap-proxy kind: " + settings);
        }
        return ProxyServiceHandler.create(proxy, context, ImapProxyFrontend::new);
    }
}
