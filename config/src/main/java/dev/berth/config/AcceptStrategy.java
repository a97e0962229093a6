package dev.berth.config;

import java.util.Optional;

/** How the workers of a pool take connections from the listening sockets (DESIGN.md §2). */
public enum AcceptStrategy {

    /** Every worker gets the same listening socket and they race to accept. */
    SHARED("shared"),

    /** Every worker gets the same socket; a cross-process lock lets one worker at a time accept. */
    MUTEX("mutex"),

    /** Every worker gets a socket of its own in one SO_REUSEPORT group; the kernel spreads SYNs. */
    REUSEPORT("reuseport"),

    /**
     * A dispatcher process accepts and passes each connection to a worker that asked for work, keeping
     * its own copy until the worker acknowledges it (docs/adr/0005).
     */
    HANDOFF("handoff");

    private final String configName;

    AcceptStrategy(String configName) {
        this.configName = configName;
    }

    /** The value written in the config file, such as {@code shared}. */
    public String configName() {
        return configName;
    }

    /** The strategy with that config name. */
    static Optional<AcceptStrategy> byConfigName(String name) {
        for (AcceptStrategy strategy : values()) {
            if (strategy.configName.equals(name)) {
                return Optional.of(strategy);
            }
        }
        return Optional.empty();
    }
}
