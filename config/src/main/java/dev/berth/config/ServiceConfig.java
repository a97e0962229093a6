package dev.berth.config;

import java.util.List;
import java.util.Objects;

/**
 * One service: a kind of protocol handler on one or more addresses, run by one pool. Immutable
 * and thread-safe.
 *
 * @param name unique in the file: lower-case letters, digits and {@code -}
 * @param kind the handler kind, such as {@code echo} or {@code smtp}
 * @param pool the name of the pool whose workers run it
 * @param listen the addresses, at least one, in file order
 * @param settings the kind's own section (the key named after the kind), for the kind to parse;
 *     empty when the entry has none
 */
public record ServiceConfig(String name, String kind, String pool, List<ListenAddress> listen, ConfigSection settings) {

    /**
     * Checks the components and copies the address list.
     *
     * @throws NullPointerException if any reference is null
     * @throws IllegalArgumentException if the name or pool name is not valid, the kind is blank, or
     *     there is no address
     */
    public ServiceConfig {
        Names.check("service name", Objects.requireNonNull(name, "name"));
        Objects.requireNonNull(kind, "kind");
        Names.check("pool name", Objects.requireNonNull(pool, "pool"));
        listen = List.copyOf(listen);
        Objects.requireNonNull(settings, "settings");
        if (kind.isBlank()) {
            throw new IllegalArgumentException("kind must not be blank");
        }
        if (listen.isEmpty()) {
            throw new IllegalArgumentException("service " + name + " needs at least one listen address");
        }
    }
}
