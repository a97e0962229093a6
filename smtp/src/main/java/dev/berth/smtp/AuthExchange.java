package dev.berth.smtp;

import dev.berth.maildir.Authentication;
import dev.berth.service.SaslPlain;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * One SASL exchange of AUTH PLAIN or LOGIN (RFC 4954, 4616): which challenge comes next and,
 * when the client has said everything, the credentials check. Not thread-safe; the session's.
 *
 * <pre>
 *  PLAIN: AUTH PLAIN [ir] -> (334 "") -> response -> check
 *  LOGIN: AUTH LOGIN [ir=user] -> (334 VXNlcm5hbWU6 -> user) -> 334 UGFzc3dvcmQ6 -> password -> check
 * </pre>
 */
final class AuthExchange {

    /** What the exchange wants next. */
    sealed interface Step {
        /** Send 334 with this base64 challenge and read one line. */
        record Challenge(String base64) implements Step {
        }

        /** Final answer. */
        record Done(SmtpReply reply, Optional<String> user) implements Step {
        }
    }

    private static final String USERNAME = "VXNlcm5hbWU6";
    private static final String PASSWORD = "UGFzc3dvcmQ6";

    private final String mechanism;
    private final Authenticator authenticator;
    private String login;

    AuthExchange(String mechanism, Authenticator authenticator) {
        this.mechanism = mechanism;
        this.authenticator = authenticator;
    }

    /** The first step, with the initial response if the client gave one. */
    Step start(Optional<String> initial) {
        if (initial.isEmpty()) {
            return new Step.Challenge(mechanism.equals("PLAIN") ? "" : USERNAME);
        }
        return respond(initial.get());
    }

    /** The next step after a client line. Blocking when it checks the password. */
    Step respond(String line) {
        if (line.equals("*")) {
            return new Step.Done(SmtpReply.of(501, "5.0.0", "Authentication cancelled"), Optional.empty());
        }
        if (mechanism.equals("PLAIN")) {
            return SaslPlain.decode(line).map(plain -> check(plain.login(), plain.password()))
                    .orElseGet(() -> new Step.Done(SmtpReply.of(501, "5.5.2", "Malformed PLAIN response"), Optional.empty()));
        }
        Optional<String> decoded = decode(line);
        if (decoded.isEmpty()) {
            return new Step.Done(SmtpReply.of(501, "5.5.2", "Cannot decode response"), Optional.empty());
        }
        if (login == null) {
            login = decoded.get();
            return new Step.Challenge(PASSWORD);
        }
        return check(login, decoded.get());
    }

    private Step check(String user, String password) {
        return switch (authenticator.authenticate(user, password)) {
            case Authentication.Accepted accepted -> new Step.Done(SmtpReply.of(235, "2.7.0", "Authentication successful"),
                    Optional.of(accepted.user().address()));
            case Authentication.Refused refused -> new Step.Done(SmtpReply.of(535, "5.7.8", "Authentication credentials invalid"),
                    Optional.empty());
            case Authentication.Busy busy -> new Step.Done(SmtpReply.of(454, "4.7.0", "Temporary authentication failure, try again later"),
                    Optional.empty());
        };
    }

    private static Optional<String> decode(String line) {
        if (line.equals("=")) {
            return Optional.of("");
        }
        try {
            return Optional.of(new String(Base64.getDecoder().decode(line.strip()), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
