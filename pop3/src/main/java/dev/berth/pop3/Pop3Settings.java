package dev.berth.pop3;

import dev.berth.config.ConfigSection;
import dev.berth.service.ServiceSettings;
import dev.berth.service.TlsSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code pop3:} section of a service of kind {@code pop3}.
 *
 * <pre>
 * pop3:
 *   maildir: mail                 # required: the Maildir root the smtp kind delivers into
 *   users: users.txt              # required: Dovecot passwd-file, "alice@example.test:{SCHEME}hash"
 *   tls: {cert: cert.pem, key: key.pem}   # enables STLS
 *   allow-plaintext-auth: false   # USER/PASS and AUTH PLAIN before STLS; default false
 *   auth-failure-delay: 1s        # a failed login's reply is held back this long
 *   idle-timeout: 10m             # RFC 1939 asks for at least 10 minutes
 *   login-delay: 0s               # minimum time between two logins of one user (RFC 2449 LOGIN-DELAY); 0 = none
 * </pre>
 *
 * @param maildir the Maildir root, resolved against the config file; not checked here
 * @param users the users file, resolved against the config file; read when the handler is made
 * @param tls the TLS identity for STLS, if any
 * @param allowPlaintextAuth whether logins may happen without TLS
 * @param authFailureDelay how long a failed login's reply is held back; zero or more
 * @param idleTimeout how long a connection may neither read nor write before it is closed; positive
 * @param loginDelay the minimum time from one login of a user to the next, across every worker
 *     (kept as a time stamp in the mailbox); zero for none
 */
public record Pop3Settings(Path maildir, Path users, Optional<TlsSettings> tls, boolean allowPlaintextAuth,
        Duration authFailureDelay, Duration idleTimeout, Duration loginDelay) implements ServiceSettings {

    static final Duration DEFAULT_AUTH_FAILURE_DELAY = Duration.ofSeconds(1);
    static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(10);

    private static final Set<String> KEYS = Collections.unmodifiableSequencedSet(new LinkedHashSet<>(List.of(
            "maildir", "users", "tls", "allow-plaintext-auth", "auth-failure-delay", "idle-timeout", "login-delay")));

    /** Checks the values; the messages name the config key. */
    public Pop3Settings {
        Objects.requireNonNull(maildir, "maildir");
        Objects.requireNonNull(users, "users");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(authFailureDelay, "authFailureDelay");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(loginDelay, "loginDelay");
        if (loginDelay.isNegative()) {
            throw new IllegalArgumentException("login-delay: negative: " + loginDelay);
        }
        if (authFailureDelay.isNegative()) {
            throw new IllegalArgumentException("auth-failure-delay: negative: " + authFailureDelay);
        }
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idle-timeout: not positive: " + idleTimeout);
        }
    }

    /** Settings without a login delay. */
    public Pop3Settings(Path maildir, Path users, Optional<TlsSettings> tls, boolean allowPlaintextAuth,
            Duration authFailureDelay, Duration idleTimeout) {
        this(maildir, users, tls, allowPlaintextAuth, authFailureDelay, idleTimeout, Duration.ZERO);
    }

    /**
     * Parses a section; pure, no I/O.
     *
     * @throws dev.berth.config.ConfigException naming the key, the value and what is accepted
     */
    static Pop3Settings parse(ConfigSection section) {
        section.rejectUnknownKeys(KEYS);
        Path maildir = section.file("maildir").orElseThrow(
                () -> section.error("maildir", "missing", "the Maildir root directory, such as mail"));
        Path users = section.file("users").orElseThrow(
                () -> section.error("users", "missing", "a Dovecot passwd-file, such as users.txt"));
        Duration idle = section.duration("idle-timeout", DEFAULT_IDLE_TIMEOUT);
        if (idle.isZero()) {
            throw section.error("idle-timeout",
                    "\"" + section.string("idle-timeout", "") + "\" is not longer than zero",
                    "a positive duration such as 10m (RFC 1939 asks for at least 10 minutes)");
        }
        return new Pop3Settings(maildir, users, TlsSettings.parse(section, "tls"),
                section.bool("allow-plaintext-auth", false),
                section.duration("auth-failure-delay", DEFAULT_AUTH_FAILURE_DELAY), idle,
                section.duration("login-delay", Duration.ZERO));
    }
}
