package dev.berth.config;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

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
 */
public record HostConfig(Path file, String text, MasterConfig master, List<PoolConfig> pools,
                         List<ServiceConfig> services, ConfigSection scanners) {

    /** A config without a {@code scanners:} section. */
    public HostConfig(Path file, String text, MasterConfig master, List<PoolConfig> pools,
                      List<ServiceConfig> services) {
        this(file, text, master, pools, services, ConfigSection.empty(file, "scanners"));
    }

    /**
     * Checks the components and copies the lists.
     *
     * @throws NullPointerException if any reference is null
     * @throws IllegalArgumentException if there is no service, a pool or service name repeats, or a
     *     service names a pool not in {@code pools}
     */
    public HostConfig {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(master, "master");
        Objects.requireNonNull(scanners, "scanners");
        pools = List.copyOf(pools);
        services = List.copyOf(services);
        if (services.isEmpty()) {
            throw new IllegalArgumentException("a config needs at least one service");
        }
        Set<String> poolNames = new HashSet<>();
        pools.forEach(pool -> unique(poolNames, "pool", pool.name()));
        Set<String> serviceNames = new HashSet<>();
        for (ServiceConfig service : services) {
            unique(serviceNames, "service", service.name());
            if (!poolNames.contains(service.pool())) {
                throw new IllegalArgumentException("service " + service.name() + " names pool " + service.pool()
                        + ", which is not in the pool list");
            }
        }
    }

    /** The pool with that name, if any. */
    public Optional<PoolConfig> pool(String name) {
        return pools.stream().filter(pool -> pool.name().equals(name)).findFirst();
    }

    /** The services run by that pool, in file order; empty for a pool no service uses. */
    public List<ServiceConfig> servicesOf(String pool) {
        return services.stream().filter(service -> service.pool().equals(pool)).toList();
    }

    private static void unique(Set<String> seen, String what, String name) {
        if (!seen.add(name)) {
            throw new IllegalArgumentException(what + " name " + name + " appears twice");
        }
    }
}
