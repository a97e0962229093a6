package dev.berth.pop3;

import java.time.Duration;
import java.util.Objects;

/**
 * The rules a {@link Pop3Session} follows, from the service's settings.
 *
 * @param tlsAvailable whether STLS is offered (a TLS identity is configured)
 * @param allowPlaintextAuth whether USER/PASS and AUTH PLAIN are allowed before TLS
 * @param authFailureDelay how long a failed login's reply is held back
 * @param maxAuthFailures failed logins after which the connection closes; positive
 * @param maxBadCommands unusable commands after which the connection closes; positive
 * @param loginDelay the advertised minimum time between logins (CAPA LOGIN-DELAY); zero for none
 */
record SessionPolicy(boolean tlsAvailable, boolean allowPlaintextAuth, Duration authFailureDelay,
        int maxAuthFailures, int maxBadCommands, Duration loginDelay) {

    /** Three failed logins or ten bad commands end a connection. */
    static final int MAX_AUTH_FAILURES = 3;
    static final int MAX_BAD_COMMANDS = 10;

    /** Checks the arguments. */
    SessionPolicy {
        Objects.requireNonNull(authFailureDelay, "authFailureDelay");
        Objects.requireNonNull(loginDelay, "loginDelay");
        if (authFailureDelay.isNegative() || maxAuthFailures < 1 || maxBadCommands < 1) {
            throw new IllegalArgumentException("authFailureDelay/maxAuthFailures/maxBadCommands: out of range");
        }
    }

    /** A policy without a login delay. */
    SessionPolicy(boolean tlsAvailable, boolean allowPlaintextAuth, Duration authFailureDelay,
            int maxAuthFailures, int maxBadCommands) {
        this(tlsAvailable, allowPlaintextAuth, authFailureDelay, maxAuthFailures, maxBadCommands, Duration.ZERO);
    }

    /** From the service's settings, with the fixed limits. */
    static SessionPolicy of(Pop3Settings settings) {
        return new SessionPolicy(settings.tls().isPresent(), settings.allowPlaintextAuth(),
                settings.authFailureDelay(), MAX_AUTH_FAILURES, MAX_BAD_COMMANDS, settings.loginDelay());
    }
}
