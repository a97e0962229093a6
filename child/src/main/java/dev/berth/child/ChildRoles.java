package dev.berth.child;

import java.util.ServiceLoader;
import java.util.stream.Collectors;

/** Finds a {@link ChildRole} among those on the class path by name. */
final class ChildRoles {

    private ChildRoles() {
    }

    /**
     * The installed role called {@code name}.
     *
     * @throws IllegalArgumentException naming the installed roles when none is called that
     */
    static ChildRole named(String name) {
        ServiceLoader<ChildRole> roles = ServiceLoader.load(ChildRole.class);
        for (ChildRole role : roles) {
            if (role.name().equals(name)) {
                return role;
            }
        }
        throw new IllegalArgumentException("no child role '" + name + "'; installed: "
                + roles.stream().map(p -> p.get().name()).sorted().collect(Collectors.joining(", ")));
    }
}
