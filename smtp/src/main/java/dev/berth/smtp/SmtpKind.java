package dev.berth.smtp;

import dev.berth.config.ConfigSection;
import dev.berth.config.ConfigException;
import dev.berth.config.HostConfig;
import dev.berth.service.ServiceContext;
import dev.berth.service.ServiceHandler;
import dev.berth.service.ServiceKind;
import dev.berth.service.ServiceSettings;
import java.time.InstantSource;

/**
 * The {@code smtp} kind: an ESMTP server (RFC 5321 with PIPELINING, SIZE, 8BITMIME, SMTPUTF8,
 * CHUNKING, ENHANCEDSTATUSCODES, STARTTLS, AUTH PLAIN/LOGIN) that delivers into Maildir or relays
 * to a next hop before queue, scanning on the way, and never relays for strangers.
 *
 * <pre>
 * services:
 *   - name: mx
 *     kind: smtp
 *     listen: ["0.0.0.0:2525"]
 *     smtp: {hostname: mx.example.test, maildir: mail, users: users.txt, domains: [example.test]}
 * </pre>
 *
 * <p>Found through {@link java.util.ServiceLoader}; stateless and thread-safe. See
 * {@code SmtpSettings} for the keys of the {@code smtp:} section.
 */
public final class SmtpKind implements ServiceKind {

    /** Creates the kind; called by {@link java.util.ServiceLoader}. */
    public SmtpKind() {
    }

    /** Returns {@code smtp}. */
    @Override
    public String name() {
        return "smtp";
    }

    /** RFC 5321's service-not-available, with RFC 3463's "system not accepting network messages". */
    @Override
    public java.util.Optional<String> refusal() {
        return java.util.Optional.of("421 4.3.2 No service for this address, closing connection\r\n");
    }

    /**
     * Parses without the top-level {@code scanners:}: a section with a {@code scan:} list then
     * names undefined scanners and fails; the host calls {@link #parseSettings(ConfigSection, HostConfig)}.
     *
     * @throws ConfigException located at the first bad key or value
     */
    @Override
    public ServiceSettings parseSettings(ConfigSection section) {
        return SmtpSettings.parse(section, ConfigSection.empty(section.location().file(), "scanners"));
    }

    /**
     * Parses the {@code smtp:} section, resolving {@code scan:} against {@code host.scanners()}.
     * Pure: no file is read.
     *
     * @throws ConfigException located at the first bad key or value
     */
    @Override
    public ServiceSettings parseSettings(ConfigSection section, HostConfig host) {
        return SmtpSettings.parse(section, host);
    }

    /**
     * Creates the service's handler: loads the users file and the TLS identity (blocking).
     *
     * @throws IllegalArgumentException when the settings were not made by this kind
     * @throws java.io.UncheckedIOException when a file cannot be read
     */
    @Override
    public ServiceHandler newHandler(ServiceSettings settings, ServiceContext context) {
        if (!(settings instanceof SmtpSettings smtp)) {
            throw new IllegalArgumentException("settings: not from the smtp kind: " + settings);
        }
        return SmtpServiceHandler.create(smtp, context, InstantSource.system());
    }
}
