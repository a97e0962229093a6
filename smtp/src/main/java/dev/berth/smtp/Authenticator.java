package dev.berth.smtp;

import dev.berth.maildir.Authentication;

/**
 * Checks a login and password. May be slow (Argon2, bcrypt): called only from the connection's
 * executor, never from an event loop. Thread-safe.
 */
@FunctionalInterface
interface Authenticator {

    /** The user, a refusal (unknown user or wrong password), or busy (not checked now). */
    Authentication authenticate(String login, String password);

    /** Whether this client may try AUTH now (false after too many failures); never blocks. */
    default boolean mayTry() {
        return true;
    }
}
