package dev.berth.maildir;

import java.util.Objects;

/** The outcome of checking a login and password ({@link Users#authenticate}). Immutable. */
public sealed interface Authentication {

    /** The password is right: this user logs in. */
    record Accepted(MailUser user) implements Authentication {
        /** Checks the argument. */
        public Accepted {
            Objects.requireNonNull(user, "user");
        }
    }

    /** An unknown user or a wrong password (the two are not told apart). */
    record Refused() implements Authentication {
    }

    /**
     * The password could not be checked now: the checks already running hold the memory this one
     * needs, past the wait allowed (or it needs more than the process may give one check). The
     * protocol answers with a temporary failure; nothing is said about the password.
     */
    record Busy() implements Authentication {
    }
}
