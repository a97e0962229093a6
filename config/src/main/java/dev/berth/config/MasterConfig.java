package dev.berth.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The master's own settings. Immutable and thread-safe.
 *
 * @param runDir where the control socket, pid file and scoreboard live (absolute when loaded;
 *     default {@code run} next to the config file)
 * @param logDir where logs go (absolute when loaded; default {@code log} next to the config file)
 * @param user the user children run as when the master runs as root; empty to keep the master's
 */
public record MasterConfig(Path runDir, Path logDir, Optional<String> user) {

    /**
     * Checks the components.
     *
     * @throws NullPointerException if any is null
     * @throws IllegalArgumentException if {@code user} is present but blank
     */
    public MasterConfig {
        Objects.requireNonNull(runDir, "runDir");
        Objects.requireNonNull(logDir, "logDir");
        Objects.requireNonNull(user, "user");
        if (user.isPresent() && user.get().isBlank()) {
            throw new IllegalArgumentException("user must not be blank");
        }
    }
}
