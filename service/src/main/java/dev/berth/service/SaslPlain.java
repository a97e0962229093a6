package dev.berth.service;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/**
 * The SASL PLAIN message of RFC 4616, {@code [authzid] NUL authcid NUL passwd} in base64, as SMTP
 * AUTH, POP3 AUTH and IMAP AUTHENTICATE carry it. Pure and thread-safe.
 *
 * @param login the authentication identity, never empty
 * @param password the password
 */
public record SaslPlain(String login, String password) {

    /** Checks the arguments. */
    public SaslPlain {
        Objects.requireNonNull(login, "login");
        Objects.requireNonNull(password, "password");
        if (login.isEmpty()) {
            throw new IllegalArgumentException("empty login");
        }
    }

    /**
     * Decodes a client response. An authorization identity other than empty or the login itself
     * is refused: berth does not act on behalf of another user.
     *
     * @param base64 the response, surrounding white space ignored; {@code =} is the empty response
     * @return empty when the text is not base64 or not a PLAIN message
     */
    public static Optional<SaslPlain> decode(String base64) {
        String text = base64.strip();
        byte[] bytes;
        try {
            bytes = text.equals("=") ? new byte[0] : Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException notBase64) {
            return Optional.empty();
        }
        String[] parts = new String(bytes, StandardCharsets.UTF_8).split("\0", -1);
        if (parts.length != 3 || parts[1].isEmpty() || !(parts[0].isEmpty() || parts[0].equals(parts[1]))) {
            return Optional.empty();
        }
        return Optional.of(new SaslPlain(parts[1], parts[2]));
    }

    /** Never shows the password. */
    @Override
    public String toString() {
        return "SaslPlain[" + login + ", ***]";
    }
}
