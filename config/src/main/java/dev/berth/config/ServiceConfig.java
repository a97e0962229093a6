package dev.berth.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One service: a kind of protocol handler on one or more addresses, run by one pool, or by one
 * instance of the pool per tenant group. Immutable and thread-safe.
 *
 * @param name unique in the file: lower-case letters, digits and {@code -}
 * @param kind the handler kind, such as {@code echo} or {@code smtp}
 * @param pool the name of the pool whose workers run it
 * @param listen the addresses, at least one, in file order
 * @param settings the kind's own section (the key named after the kind), for the kind to parse;
 *     empty when the entry has none. For a grouped service, each group's {@link ServiceGroup#settings}
 *     is what its instance runs with.
 * @param groups the tenant groups it is served for, in file order; empty for a service without
 *     groups (DESIGN.md §7)
 * @param defaultGroup the group that takes connections no group owns; empty to refuse them
 * @param meshGroup the mesh group whose requests the service executes ({@code mesh-group:});
 *     such a service needs no listen address
 */
public record ServiceConfig(String name, String kind, String pool, List<ListenAddress> listen, ConfigSection settings,
                            List<ServiceGroup> groups, Optional<String> defaultGroup, Optional<String> meshGroup) {

    /** A service that executes no mesh requests. */
    public ServiceConfig(String name, String kind, String pool, List<ListenAddress> listen, ConfigSection settings,
                         List<ServiceGroup> groups, Optional<String> defaultGroup) {
        this(name, kind, pool, listen, settings, groups, defaultGroup, Optional.empty());
    }

    /** A service without tenant groups. */
    public ServiceConfig(String name, String kind, String pool, List<ListenAddress> listen, ConfigSection settings) {
        this(name, kind, pool, listen, settings, List.of(), Optional.empty());
    }

    /**
     * Checks the components and copies the lists.
     *
     * @throws NullPointerException if any reference is null
     * @throws IllegalArgumentException if the name or pool name is not valid, the kind is blank,
     *     there is neither an address nor a mesh group, a group repeats, or the default group is not one of the groups
     */
    public ServiceConfig {
        Names.check("service name", Objects.requireNonNull(name, "name"));
        Objects.requireNonNull(kind, "kind");
        Names.check("pool name", Objects.requireNonNull(pool, "pool"));
        listen = List.copyOf(listen);
        Objects.requireNonNull(settings, "settings");
        groups = List.copyOf(groups);
        Objects.requireNonNull(defaultGroup, "defaultGroup");
        Objects.requireNonNull(meshGroup, "meshGroup");
        if (kind.isBlank()) {
            throw new IllegalArgumentException("kind must not be blank");
        }
        if (listen.isEmpty() && meshGroup.isEmpty()) {
            throw new IllegalArgumentException("service " + name + " needs at least one listen address");
        }
        if (groups.stream().map(ServiceGroup::name).distinct().count() != groups.size()) {
            throw new IllegalArgumentException("service " + name + " names a group twice");
        }
        if (defaultGroup.isPresent() && groups.stream().noneMatch(g -> g.name().equals(defaultGroup.get()))) {
            throw new IllegalArgumentException("service " + name + ": default group " + defaultGroup.get()
                    + " is not one of its groups");
        }
    }

    /** Whether it is served per tenant group. */
    public boolean grouped() {
        return !groups.isEmpty();
    }

    /** Its settings for one group, if it is served for that group. */
    public Optional<ServiceGroup> group(String group) {
        return groups.stream().filter(g -> g.name().equals(group)).findFirst();
    }

    /**
     * The key of one instance of the service in maps of settings and handlers: the name, or
     * {@code name@group} for a group's instance.
     */
    public static String instanceKey(String service, Optional<String> group) {
        return group.map(g -> service + "@" + g).orElse(service);
    }
}
