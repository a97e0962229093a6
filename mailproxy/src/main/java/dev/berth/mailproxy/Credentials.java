package dev.berth.mailproxy;

import dev.berth.service.SaslPlain;
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
        return SaslPlain.decode(base64).map(plain -> new Credentials(plain.login(), plain.password()));
    }

    /** Never shows the password. */
    @Override
    public String toString() {
        return "Credentials[" + user + "]";
    }
}
