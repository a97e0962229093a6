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
 * @param admin where the master serves its admin plane (status page, {@code /status.json},
 *     {@code /metrics}, {@code /healthz}, {@code /readyz}); empty for none. A bare port means
 *     127.0.0.1; port 0 takes any free port (status shows the one bound)
 * @param logFormat how the master writes its log: one line of text or one JSON object per event
 */
public record MasterConfig(Path runDir, Path logDir, Optional<String> user, Optional<ListenAddress> admin,
                           LogFormat logFormat) {

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
        Objects.requireNonNull(admin, "admin");
        Objects.requireNonNull(logFormat, "logFormat");
        if (user.isPresent() && user.get().isBlank()) {
            throw new IllegalArgumentException("user must not be blank");
        }
    }

    /** Settings without an admin plane, logging text. */
    public MasterConfig(Path runDir, Path logDir, Optional<String> user) {
        this(runDir, logDir, user, Optional.empty(), LogFormat.TEXT);
    }

    /** How the master writes its log ({@code master.log-format}). */
    public enum LogFormat {
        /** One line of text per event: time, level, who, and {@code key=value} fields first. */
        TEXT,
        /** One JSON object per line, with the same fields as keys. */
        JSON
    }
}
