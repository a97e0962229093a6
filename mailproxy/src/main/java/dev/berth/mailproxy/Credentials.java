package dev.berth.mailproxy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/**
 * A user name and password as the client gave them (USER/PASS, LOGIN, or SASL PLAIN).
 *
 * @param user the login name, possibly with {@code @host}
 * @param password the password
 */
record Credentials(String user, String password) {

    /** Checks the arguments. */
    Credentials {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
    }

    /**
     * Decodes a SASL PLAIN response (RFC 4616): base64 of {@code authzid NUL authcid NUL passwd}.
     * An authorization identity different from the authentication identity is refused, since the
     * proxy cannot pass it on.
     *
     * @return empty when the text is not valid PLAIN
     */
    static Optional<Credentials> fromPlain(String base64) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        String text = new String(raw, StandardCharsets.UTF_8);
        String[] parts = text.split("\0", -1);
        if (parts.length != 3 || parts[1].isEmpty()) {
            return Optional.empty();
        }
        if (!parts[0].isEmpty() && !parts[0].equals(parts[1])) {
            return Optional.empty();
        }
        return Optional.of(new Credentials(parts[1], parts[2]));
    }

    /** Never shows the password. */
    @Override
    public String toString() {
        return "Credentials[" + user + "]";
    }
}
