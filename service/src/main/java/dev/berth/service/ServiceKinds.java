package dev.berth.service;

import dev.berth.config.ConfigException;
import dev.berth.config.HostConfig;
import dev.berth.config.ServiceConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
     * Has every service's kind parse its own section. Pure: the same everywhere it runs.
     *
     * @return settings by service name, in file order
     * @throws ConfigException with every problem of every service
     */
    public Map<String, ServiceSettings> settings(HostConfig config) {
        Map<String, ServiceSettings> settings = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (ServiceConfig service : config.services()) {
            try {
                settings.put(service.name(), kind(service.kind()).parseSettings(service.settings(), config));
            } catch (ConfigException e) {
                problems.addAll(e.problems());
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return settings;
    }
}
