package dev.berth.service;

import dev.berth.config.ConfigException;
import dev.berth.config.ConfigSection;
import dev.berth.config.HostConfig;
import dev.berth.config.ServiceConfig;
import dev.berth.config.ServiceGroup;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;

/**
 * The service kinds this process knows: the built-in ones and any a jar on the class path adds
 * through {@link ServiceLoader}. Immutable and thread-safe.
 */
public final class ServiceKinds {

    private final Map<String, ServiceKind> byName;

    private ServiceKinds(Map<String, ServiceKind> byName) {
        this.byName = Collections.unmodifiableMap(byName);
    }

    /**
     * Loads every kind on the class path.
     *
     * @throws IllegalStateException when two kinds claim the same name
     */
    public static ServiceKinds installed() {
        List<ServiceKind> kinds = new ArrayList<>();
        ServiceLoader.load(ServiceKind.class, ServiceKinds.class.getClassLoader()).forEach(kinds::add);
        return of(kinds.toArray(ServiceKind[]::new));
    }

    /** Exactly these kinds (tests, embedding). */
    public static ServiceKinds of(ServiceKind... kinds) {
        Map<String, ServiceKind> byName = new TreeMap<>();
        for (ServiceKind kind : kinds) {
            ServiceKind previous = byName.put(kind.name(), kind);
            if (previous != null) {
                throw new IllegalStateException("kind " + kind.name() + " is claimed by both "
                        + previous.getClass().getName() + " and " + kind.getClass().getName());
            }
        }
        return new ServiceKinds(byName);
    }

    /** The names usable as {@code kind:}, sorted. */
    public Set<String> names() {
        return byName.keySet();
    }

    /**
     * The kind called {@code name}.
     *
     * @throws IllegalArgumentException when there is none (the config loader rejects such a file first)
     */
    public ServiceKind kind(String name) {
        ServiceKind kind = byName.get(name);
        if (kind == null) {
            throw new IllegalArgumentException("no service kind " + name + "; installed: " + names());
        }
        return kind;
    }

    /**
     * Has every service's kind parse its own section, and for a service with tenant groups each
     * group's merged section instead (DESIGN.md §7). Pure: the same everywhere it runs.
     *
     * @return settings by {@link ServiceConfig#instanceKey}: the service name, or
     *     {@code name@group} for each group of a grouped service; in file order
     * @throws ConfigException with every problem of every service and group, each line once
     */
    public Map<String, ServiceSettings> settings(HostConfig config) {
        Map<String, ServiceSettings> settings = new LinkedHashMap<>();
        Set<String> problems = new LinkedHashSet<>();
        for (ServiceConfig service : config.services()) {
            if (!service.grouped()) {
                parse(config, service, service.settings(), service.name(), settings, problems);
            }
            for (ServiceGroup group : service.groups()) {
                parse(config, service, group.settings(),
                        ServiceConfig.instanceKey(service.name(), Optional.of(group.name())), settings, problems);
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(List.copyOf(problems));
        }
        return settings;
    }

    private void parse(HostConfig config, ServiceConfig service, ConfigSection section, String key,
                       Map<String, ServiceSettings> settings, Set<String> problems) {
        try {
            settings.put(key, kind(service.kind()).parseSettings(section, config));
        } catch (ConfigException e) {
            problems.addAll(e.problems());
        }
    }
}
