package dev.berth.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A whole, valid config file. Immutable and thread-safe; made by {@link ConfigLoader}.
 *
 * @param file the file as given to the loader
 * @param text the text it was read from, to tell whether a reload changes anything
 * @param master the master's settings
 * @param pools the pools in file order; when a service uses the pool {@code default} and the file
 *     does not define it, a pool {@code default} with every default comes last
 * @param services the services in file order, at least one
 * @param scanners the top-level {@code scanners:} section (named scanner definitions that mail
 *     services refer to by name); empty when the file has none. Its entries are judged by the
 *     kinds that use them, not here.
 * @param groups the tenant groups in file order (DESIGN.md §7); empty when the file has none
 * @param mesh the {@code mesh:} section (DESIGN.md §8), empty when the file has none
 */
public record HostConfig(Path file, String text, MasterConfig master, List<PoolConfig> pools,
                         List<ServiceConfig> services, ConfigSection scanners, List<GroupConfig> groups,
                         Optional<MeshConfig> mesh) {

    /** A config without a {@code mesh:} section. */
    public HostConfig(Path file, String text, MasterConfig master, List<PoolConfig> pools,
                      List<ServiceConfig> services, ConfigSection scanners, List<GroupConfig> groups) {
        this(file, text, master, pools, services, scanners, groups, Optional.empty());
    }

    /** A config without a {@code scanners:} section. */
    public HostConfig(Path file, String text, MasterConfig master, List<PoolConfig> pools,
                      List<ServiceConfig> services) {
        this(file, text, master, pools, services, ConfigSection.empty(file, "scanners"));
    }

    /** A config without tenant groups. */
    public HostConfig(Path file, String text, MasterConfig master, List<PoolConfig> pools,
                      List<ServiceConfig> services, ConfigSection scanners) {
        this(file, text, master, pools, services, scanners, List.of());
    }

    /**
     * Checks the components and copies the lists.
     *
     * @throws NullPointerException if any reference is null
     * @throws IllegalArgumentException if there is no service, a pool, service or group name
     *     repeats, a service names a pool or group not defined, two groups claim one address, or
     *     a service has a {@code mesh-group} while there is no mesh
     */
    public HostConfig {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(master, "master");
        Objects.requireNonNull(scanners, "scanners");
        Objects.requireNonNull(mesh, "mesh");
        pools = List.copyOf(pools);
        services = List.copyOf(services);
        groups = List.copyOf(groups);
        if (services.isEmpty()) {
            throw new IllegalArgumentException("a config needs at least one service");
        }
        Set<String> poolNames = new HashSet<>();
        pools.forEach(pool -> unique(poolNames, "pool", pool.name()));
        Set<String> groupNames = new HashSet<>();
        Set<String> addresses = new HashSet<>();
        for (GroupConfig group : groups) {
            unique(groupNames, "group", group.name());
            group.addresses().forEach(a -> unique(addresses, "group address", a));
        }
        Set<String> serviceNames = new HashSet<>();
        for (ServiceConfig service : services) {
            unique(serviceNames, "service", service.name());
            if (!poolNames.contains(service.pool())) {
                throw new IllegalArgumentException("service " + service.name() + " names pool " + service.pool()
                        + ", which is not in the pool list");
            }
            service.groups().stream().filter(g -> !groupNames.contains(g.name())).findFirst().ifPresent(g -> {
                throw new IllegalArgumentException("service " + service.name() + " names group " + g.name()
                        + ", which is not in the group list");
            });
            if (service.meshGroup().isPresent() && mesh.isEmpty()) {
                throw new IllegalArgumentException("service " + service.name() + " has a mesh-group, but there is no mesh section");
            }
        }
    }

    /** The pool with that name, if any: a pool of the file, or an instance {@code POOL@GROUP} of one. */
    public Optional<PoolConfig> pool(String name) {
        return instances().stream().filter(pool -> pool.name().equals(name)).findFirst();
    }

    /** The tenant group with that name, if any. */
    public Optional<GroupConfig> group(String name) {
        return groups.stream().filter(group -> group.name().equals(name)).findFirst();
    }

    /**
     * Every pool the master runs: each pool of the file, followed by its instance for each group
     * that one of its services names (in the order of {@link #groups}).
     */
    public List<PoolConfig> instances() {
        List<PoolConfig> all = new ArrayList<>();
        for (PoolConfig pool : pools) {
            all.add(pool);
            for (GroupConfig group : groups) {
                if (services.stream().anyMatch(s -> s.pool().equals(pool.name()) && s.group(group.name()).isPresent())) {
                    all.add(pool.instance(group.name()));
                }
            }
        }
        return all;
    }

    /**
     * The services whose connections the workers of a pool serve, in file order: for a pool of the
     * file, its services without groups; for an instance {@code POOL@GROUP}, the pool's services
     * served for that group. Empty for a pool no service uses.
     */
    public List<ServiceConfig> servicesOf(String pool) {
        int at = pool.indexOf('@');
        String base = at < 0 ? pool : pool.substring(0, at);
        return services.stream().filter(s -> s.pool().equals(base))
                .filter(s -> at < 0 ? !s.grouped() : s.group(pool.substring(at + 1)).isPresent()).toList();
    }

    /** The services of a pool of the file that have tenant groups: what its classifying dispatcher accepts for. */
    public List<ServiceConfig> groupedServicesOf(String pool) {
        return services.stream().filter(s -> s.pool().equals(pool) && s.grouped()).toList();
    }

    /**
     * Checks that every group's {@code user} exists on this host; the caller supplies the lookup,
     * so that the config stays free of I/O.
     *
     * @param known whether a user name or numeric id exists
     * @throws ConfigException naming each unknown user at its place in the file
     */
    public void requireUsers(Predicate<String> known) {
        List<ConfigException.Problem> problems = new ArrayList<>();
        for (GroupConfig group : groups) {
            group.user().filter(user -> !known.test(user)).ifPresent(user -> problems.addAll(group.error("user",
                    Messages.quote(user) + " is not a user on this host", "a user in /etc/passwd").located()));
        }
        if (!problems.isEmpty()) {
            problems.sort(ConfigException.IN_FILE_ORDER);
            throw ConfigException.of(problems, null);
        }
    }

    private static void unique(Set<String> seen, String what, String name) {
        if (!seen.add(name)) {
            throw new IllegalArgumentException(what + " name " + name + " appears twice");
        }
    }
}
