package dev.berth.tenancy;

import dev.berth.config.ServiceConfig;
import dev.berth.config.ServiceGroup;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the classification needs of one grouped service: the groups it runs for and its default.
 *
 * @param service the service's name
 * @param groups the groups it has an instance for
 * @param defaultGroup the group that takes what nobody owns; empty to refuse it
 */
public record ServiceTenancy(String service, Set<String> groups, Optional<String> defaultGroup) {

    /** Checks the arguments and copies the set. */
    public ServiceTenancy {
        Objects.requireNonNull(service, "service");
        groups = Set.copyOf(groups);
        Objects.requireNonNull(defaultGroup, "defaultGroup");
        if (defaultGroup.isPresent() && !groups.contains(defaultGroup.get())) {
            throw new IllegalArgumentException("default group " + defaultGroup.get() + " is not one of " + groups);
        }
    }

    /** The tenancy of a service of the config. */
    public static ServiceTenancy of(ServiceConfig service) {
        return new ServiceTenancy(service.name(),
                service.groups().stream().map(ServiceGroup::name).collect(Collectors.toSet()), service.defaultGroup());
    }
}
