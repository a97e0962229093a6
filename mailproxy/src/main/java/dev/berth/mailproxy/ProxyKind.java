package dev.berth.mailproxy;

import dev.berth.config.ConfigSection;
import dev.berth.config.HostConfig;
import dev.berth.service.ServiceContext;
import dev.berth.service.ServiceHandler;
import dev.berth.service.ServiceKind;
import dev.berth.service.ServiceSettings;
import java.util.Objects;

/**
 * What the {@code pop3-proxy} and {@code imap-proxy} kinds share: everything but the
 * {@link Protocol}, which picks the section's name, the default upstream port and the
 * {@link ProxySession}. Stateless and thread-safe. See {@code ProxySettings} for the keys.
 */
abstract sealed class ProxyKind implements ServiceKind permits Pop3ProxyKind, ImapProxyKind {

    private final Protocol protocol;

    ProxyKind(Protocol protocol) {
        this.protocol = Objects.requireNonNull(protocol, "protocol");
    }

    /** Returns {@code pop3-proxy} or {@code imap-proxy}. */
    @Override
    public final String name() {
        return protocol.kind();
    }

    /** POP3: a negative greeting, {@code -ERR [SYS/TEMP]}; IMAP: an untagged {@code BYE}. */
    @Override
    public final java.util.Optional<String> refusal() {
        return java.util.Optional.of(protocol == Protocol.POP3 ? "-ERR [SYS/TEMP] No service for this address\r\n"
                : "* BYE [UNAVAILABLE] No service for this address\r\n");
    }

    /**
     * Parses the kind's section without a {@code scanners:} section at hand (a {@code scan:} key
     * then names no known scanner). Pure: no I/O.
     *
     * @throws dev.berth.config.ConfigException for an unknown key or a bad value
     */
    @Override
    public final ServiceSettings parseSettings(ConfigSection section) {
        return ProxySettings.parse(section, (HostConfig) null, protocol);
    }

    /**
     * Parses the kind's section; {@code scan:} names (pop3-proxy only) are looked up in the
     * file's {@code scanners:}. Pure: no I/O.
     *
     * @throws dev.berth.config.ConfigException for an unknown key or a bad value
     */
    @Override
    public final ServiceSettings parseSettings(ConfigSection section, HostConfig host) {
        return ProxySettings.parse(section, host, protocol);
    }

    /**
     * Creates the service's handler: reads the user map and TLS files (blocking).
     *
     * @throws IllegalArgumentException when the settings were not made by this kind
     * @throws java.io.UncheckedIOException when a file cannot be read
     */
    @Override
    public final ServiceHandler newHandler(ServiceSettings settings, ServiceContext context) {
        if (!(settings instanceof ProxySettings proxy) || proxy.protocol() != protocol) {
            throw new IllegalArgumentException("settings: not from the " + protocol.kind() + " kind: " + settings);
        }
        return ProxyServiceHandler.create(proxy, context);
    }
}
