package dev.berth.service;

import dev.berth.config.ConfigSection;
import dev.berth.config.HostConfig;

/**
 * A family of protocol handlers, named in the config by a service's {@code kind:}. Kinds are found
 * through {@link java.util.ServiceLoader}, so a jar on the class path can add its own (list the
 * class in {@code META-INF/services/dev.berth.service.ServiceKind}).
 *
 * <p>Implementations are stateless and thread-safe; one instance serves every service of the kind
 * in a process.
 */
public interface ServiceKind {

    /** The name used as {@code kind:} in the config and as the key of the kind's own section. */
    String name();

    /**
     * Parses the kind's own section of a service entry ({@code http: {...}} for kind {@code http}).
     * Runs in the master (check, start, reload) and in every worker; must do no I/O, so that a
     * config is judged the same everywhere.
     *
     * @param section the section, empty when the service entry has none
     * @return the immutable settings record
     * @throws dev.berth.config.ConfigException naming file, line, column, key, value and what is
     *     accepted, when the section is invalid
     */
    ServiceSettings parseSettings(ConfigSection section);

    /**
     * Parses the kind's section with the whole file at hand, for kinds that refer to top-level
     * definitions (the mail kinds name entries of {@code scanners:}). The default ignores the file.
     * Same rules as {@link #parseSettings(ConfigSection)}: pure, no I/O.
     *
     * @param section the kind's section of the service entry
     * @param host the whole config the service belongs to
     */
    default ServiceSettings parseSettings(ConfigSection section, HostConfig host) {
        return parseSettings(section);
    }

    /**
     * Creates the handler of one service in one worker. Called once per service on the worker's
     * start-up thread, before any connection is accepted; may block (open files, warm caches).
     *
     * @param settings what {@link #parseSettings} returned for this service
     * @param context the service's identity and the worker's counters
     * @return a handler owned by the worker, which closes it when the worker exits
     */
    ServiceHandler newHandler(ServiceSettings settings, ServiceContext context);

    /**
     * What a connection hears when no tenant group takes it (DESIGN.md §7): the protocol's own
     * temporary refusal ({@code 421 4.3.2 ...} for SMTP), which the classifying dispatcher writes
     * before it closes the connection. Empty for a protocol without one (the connection is
     * closed). Called once per service by the dispatcher; must be constant and cheap.
     */
    default java.util.Optional<String> refusal() {
        return java.util.Optional.empty();
    }
}
