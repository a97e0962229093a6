package dev.berth.smtp;

import dev.berth.config.ConfigSection;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code limits:} of an smtp section.
 *
 * @param messageSize octets (default 25m); SIZE= over it gets 552 5.3.4 at MAIL, a larger message
 *     is read to its end and refused with 552 5.3.4
 * @param recipients per transaction (default 100); more get 452 4.5.3
 * @param errors error replies before 421 4.7.0 and close (default 10)
 * @param errorDelay how long each error reply after the third waits (default 1s)
 * @param idleTimeout silence between commands before 421 4.4.2 (default 5m)
 * @param dataTimeout silence inside a transaction (MAIL to end of data) before 421 (default 10m)
 * @param connectionsPerClient open connections per client address, counted per worker process,
 *     not across workers (default 20); more get 421 4.7.0 at the greeting
 * @param authFailures failed AUTH per client address (IPv6: per /64) across the host's workers
 *     before AUTH from there gets 454 4.7.0 (default 5)
 * @param authFailureWindow how long failures count, from the first (default 10m)
 */
record SmtpLimits(long messageSize, int recipients, int errors, Duration errorDelay,
        Duration idleTimeout, Duration dataTimeout, int connectionsPerClient, int authFailures,
        Duration authFailureWindow) {

    private static final Set<String> KEYS = Collections.unmodifiableSequencedSet(new LinkedHashSet<>(List.of(
            "message-size", "recipients", "errors", "error-delay", "idle-timeout", "data-timeout",
            "connections-per-client", "auth-failures", "auth-failure-window")));

    /** Checks ranges. */
    SmtpLimits {
        if (messageSize < 1 || recipients < 1 || errors < 1 || connectionsPerClient < 1 || authFailures < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
        if (idleTimeout.isZero() || idleTimeout.isNegative() || dataTimeout.isZero() || dataTimeout.isNegative()
                || errorDelay.isNegative() || authFailureWindow.toSeconds() < 1) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
    }

    /** The defaults. */
    static SmtpLimits defaults() {
        return new SmtpLimits(25L << 20, 100, 10, Duration.ofSeconds(1), Duration.ofMinutes(5),
                Duration.ofMinutes(10), 20, 5, Duration.ofMinutes(10));
    }

    /** Parses the section; pure. */
    static SmtpLimits parse(ConfigSection section) {
        section.rejectUnknownKeys(KEYS);
        SmtpLimits d = defaults();
        long size = section.size("message-size", d.messageSize());
        if (size < 1) {
            throw section.error("message-size", "\"" + size + "\" is not positive", "a size such as 25m");
        }
        Duration idle = positive(section, "idle-timeout", d.idleTimeout());
        Duration data = positive(section, "data-timeout", d.dataTimeout());
        return new SmtpLimits(size,
                section.integer("recipients", d.recipients(), 1, 100_000),
                section.integer("errors", d.errors(), 1, 1000),
                section.duration("error-delay", d.errorDelay()),
                idle, data,
                section.integer("connections-per-client", d.connectionsPerClient(), 1, 1_000_000),
                section.integer("auth-failures", d.authFailures(), 1, 1_000_000),
                atLeastASecond(section, "auth-failure-window", d.authFailureWindow()));
    }

    private static Duration atLeastASecond(ConfigSection section, String key, Duration dflt) {
        Duration value = section.duration(key, dflt);
        if (value.toSeconds() < 1) {
            throw section.error(key, "\"" + section.string(key, "") + "\" is shorter than a second", "a duration such as 10m or 1h");
        }
        return value;
    }

    private static Duration positive(ConfigSection section, String key, Duration dflt) {
        Duration value = section.duration(key, dflt);
        if (value.isZero() || value.isNegative()) {
            throw section.error(key, "\"" + section.string(key, "") + "\" is not longer than zero", "a positive duration such as 30s or 5m");
        }
        return value;
    }
}
