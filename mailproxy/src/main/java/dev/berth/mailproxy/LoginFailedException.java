package dev.berth.mailproxy;

import java.util.Objects;

/** An upstream login that did not succeed; carries the reply for the client. */
final class LoginFailedException extends RuntimeException {

    private final LoginStep.Failed failure;

    LoginFailedException(LoginStep.Failed failure) {
        super(failure.reply(), null, false, false);
        this.failure = Objects.requireNonNull(failure, "failure");
    }

    /** The reply for the client. */
    LoginStep.Failed failure() {
        return failure;
    }
}
