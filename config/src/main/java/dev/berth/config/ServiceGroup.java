package dev.berth.config;

import java.util.Objects;

/**
 * One tenant group of a service: the group's name and the kind's settings for its instance, the
 * service's section with the group's overrides merged over it. Immutable and thread-safe.
 *
 * @param name the group, one of the file's {@code groups}
 * @param settings the merged section for the kind to parse (path {@code services[i].groups.NAME.KIND})
 */
public record ServiceGroup(String name, ConfigSection settings) {

    /** Checks the arguments. */
    public ServiceGroup {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(settings, "settings");
    }
}
