package dev.berth.pop3;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/**
 * The SASL PLAIN message of RFC 4616: {@code [authzid] NUL authcid NUL passwd}, base64-encoded.
 * Pure and thread-safe.
 *
 * @param login the authentication identity
 * @param password the password
 */
record SaslPlain(String login, String password) {

    /** Checks the arguments. */
    SaslPlain {
        Objects.requireNonNull(login, "login");
        Objects.requireNonNull(password, "password");
    }

    /**
     * Decodes a client response. An authorization identity other than empty or the login itself
     * is refused (no proxy authorization here).
     *
     * @param base64 the response line, or {@code =} for an empty initial response
     * @return empty when the line is not base64 or not a PLAIN message
     */
    static Optional<SaslPlain> decode(String base64) {
        byte[] bytes;
        try {
            bytes = base64.equals("=") ? new byte[0] : Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException notBase64) {
            return Optional.empty();
        }
        String message = new String(bytes, StandardCharsets.UTF_8);
        int first = message.indexOf('\0');
        int second = first < 0 ? -1 : message.indexOf('\0', first + 1);
        if (second < 0 || message.indexOf('\0', second + 1) >= 0) {
            return Optional.empty();
        }
        String authzid = message.substring(0, first);
        String login = message.substring(first + 1, second);
        String password = message.substring(second + 1);
        if (login.isEmpty() || (!authzid.isEmpty() && !authzid.equals(login))) {
            return Optional.empty();
        }
        return Optional.of(new SaslPlain(login, password));
    }

    @Override
    public String toString() {
        return "SaslPlain[" + login + ", ***]";
    }
}
