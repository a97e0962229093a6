package dev.berth.pop3;

import java.io.IOException;

/**
 * A user logged in again before the service's {@code login-delay} had passed since the previous
 * login; the session answers {@code -ERR [LOGIN-DELAY]} (RFC 2449).
 */
final class LoginTooSoonException extends IOException {

    private static final long serialVersionUID = 1L;

    LoginTooSoonException(String message) {
        super(message);
    }
}
