package dev.berth.mailproxy;

import java.util.List;
import java.util.Objects;

/**
 * An IMAP command in the not-authenticated state, as the proxy understands it (RFC 3501 §6.1,
 * §6.2; RFC 2971 ID; RFC 4959 SASL-IR). Strings arrive decoded: quoted strings unescaped,
 * literals as their content.
 */
sealed interface ImapCommand {

    /** The command's tag. */
    String tag();

    /** {@code CAPABILITY}. */
    record Capability(String tag) implements ImapCommand {
    }

    /** {@code STARTTLS}. */
    record StartTls(String tag) implements ImapCommand {
    }

    /** {@code LOGIN user password}. */
    record Login(String tag, String user, String password) implements ImapCommand {
        /** Checks the arguments. */
        public Login {
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(password, "password");
        }

        /** Never shows the password. */
        @Override
        public String toString() {
            return "Login[" + tag + ", " + user + "]";
        }
    }

    /**
     * {@code AUTHENTICATE mechanism [initial-response]}.
     *
     * @param mechanism upper-cased
     * @param initial the SASL-IR initial response (base64, {@code =} for empty), empty when absent
     */
    record Authenticate(String tag, String mechanism, String initial) implements ImapCommand {
        /** Checks the arguments. */
        public Authenticate {
            Objects.requireNonNull(mechanism, "mechanism");
            Objects.requireNonNull(initial, "initial");
        }
    }

    /** {@code ID (...)} or {@code ID NIL}; the client's parameters are not used. */
    record Id(String tag, List<String> arguments) implements ImapCommand {
        /** Copies the list. */
        public Id {
            arguments = List.copyOf(arguments);
        }
    }

    /** {@code NOOP}. */
    record Noop(String tag) implements ImapCommand {
    }

    /** {@code LOGOUT}. */
    record Logout(String tag) implements ImapCommand {
    }

    /** Any other command (refused before login). */
    record Other(String tag, String verb) implements ImapCommand {
    }

    /**
     * A line sent in answer to an AUTHENTICATE continuation ({@code + }); made by the frontend,
     * carrying the tag of the AUTHENTICATE command.
     */
    record SaslResponse(String tag, String text) implements ImapCommand {
    }

    /**
     * A line that could not be parsed; answered {@code tag BAD text} (or {@code * BAD} without a tag).
     *
     * @param tag the tag if one could be read, else empty
     */
    record Bad(String tag, String text) implements ImapCommand {
    }
}
