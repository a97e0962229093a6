package dev.berth.smtp;

import java.util.Optional;

/**
 * Checks a login and password; returns the authenticated name. May be slow (Argon2, bcrypt):
 * called only from the connection's executor, never from an event loop. Thread-safe.
 */
@FunctionalInterface
interface Authenticator {

    /** The authenticated identity, or empty for unknown users and wrong passwords. */
    Optional<String> authenticate(String login, String password);
}
