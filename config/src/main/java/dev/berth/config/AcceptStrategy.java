package dev.berth.config;

import java.util.Optional;

/**
 * How the workers of a pool take connections from the listening sockets. Only {@link #SHARED} is
 * built so far; the design's {@code mutex}, {@code reuseport} and {@code handoff} are rejected by
 * the loader as not available in this build.
 */
public enum AcceptStrategy {

    /** Every worker gets the same listening socket and they race to accept. */
    SHARED("shared");

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
