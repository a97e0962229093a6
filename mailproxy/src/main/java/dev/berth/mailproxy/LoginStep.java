package dev.berth.mailproxy;

import java.util.List;
import java.util.Objects;

/** What a {@link LoginDialogue} wants next from the upstream connection. */
sealed interface LoginStep {

    /** Nothing to send: wait for the next line from upstream. */
    record Wait() implements LoginStep {
    }

    /**
     * Send one command line upstream.
     *
     * @param line the line without CRLF
     * @param secret whether the line carries a password (never logged)
     */
    record Send(String line, boolean secret) implements LoginStep {
        /** Checks the argument. */
        public Send {
            Objects.requireNonNull(line, "line");
        }
    }

    /** Start the TLS handshake now (the upstream accepted STLS / STARTTLS). */
    record StartTls() implements LoginStep {
    }

    /**
     * Logged in.
     *
     * @param reply the upstream's final reply: the whole line for POP3, the text after the tag for IMAP
     * @param untagged IMAP untagged lines received with the login response, to pass on; empty for POP3
     */
    record Succeeded(String reply, List<String> untagged) implements LoginStep {
        /** Checks and copies. */
        public Succeeded {
            Objects.requireNonNull(reply, "reply");
            untagged = List.copyOf(untagged);
        }
    }

    /**
     * Not logged in; the upstream connection is closed without a goodbye.
     *
     * @param reply the reply for the client: a whole {@code -ERR ...} line for POP3, the text after
     *     the tag ({@code NO ...}) for IMAP
     */
    record Failed(String reply) implements LoginStep {
        /** Checks the argument. */
        public Failed {
            Objects.requireNonNull(reply, "reply");
        }
    }
}
