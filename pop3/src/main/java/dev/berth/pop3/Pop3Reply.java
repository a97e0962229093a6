package dev.berth.pop3;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Objects;

/**
 * What the server answers to one command. {@link Pop3ReplyEncoder} writes all but the body of a
 * {@link Content}, which {@link MessageStreamer} streams from its file. Immutable values.
 */
sealed interface Pop3Reply {

    /** {@code +OK text}; an empty text gives a bare {@code +OK}. */
    record Ok(String text) implements Pop3Reply {
        /** Checks the argument. */
        public Ok {
            Objects.requireNonNull(text, "text");
        }
    }

    /** {@code -ERR [CODE] text} (RFC 2449 §8 response codes); {@link ResponseCode#NONE} for none. */
    record Err(ResponseCode code, String text) implements Pop3Reply {
        /** Checks the arguments. */
        public Err {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(text, "text");
        }

        /** An error without a response code. */
        static Err of(String text) {
            return new Err(ResponseCode.NONE, text);
        }
    }

    /** {@code +OK text}, then the lines (dot-stuffed on the way out), then {@code .}. */
    record Lines(String text, List<String> lines) implements Pop3Reply {
        /** Checks and copies the arguments. */
        public Lines {
            Objects.requireNonNull(text, "text");
            lines = List.copyOf(lines);
        }
    }

    /** A SASL continuation: {@code + challenge} (base64, here always empty). */
    record Challenge(String challenge) implements Pop3Reply {
        /** Checks the argument. */
        public Challenge {
            Objects.requireNonNull(challenge, "challenge");
        }
    }

    /**
     * {@code +OK text}, then a message from its file: the whole of it ({@code bodyLines} is
     * {@link Long#MAX_VALUE}, RETR) or its header and {@code bodyLines} lines of its body (TOP),
     * dot-stuffed, then {@code .}.
     */
    record Content(String text, MessageSource source, long bodyLines) implements Pop3Reply {
        /** Checks the arguments. */
        public Content {
            Objects.requireNonNull(text, "text");
            Objects.requireNonNull(source, "source");
            if (bodyLines < 0) {
                throw new IllegalArgumentException("bodyLines: negative: " + bodyLines);
            }
        }
    }

    /** The RFC 2449 / RFC 3206 response codes this server uses. */
    enum ResponseCode {
        /** No code. */
        NONE(""),
        /** Authentication failed, or is not allowed here (RFC 3206). */
        AUTH("[AUTH] "),
        /** The maildrop is locked by another session (RFC 2449). */
        IN_USE("[IN-USE] "),
        /** A temporary system problem (RFC 3206). */
        SYS_TEMP("[SYS/TEMP] "),
        /** A permanent system problem (RFC 3206). */
        SYS_PERM("[SYS/PERM] "),
        /** The user logged in too recently (RFC 2449 LOGIN-DELAY). */
        LOGIN_DELAY("[LOGIN-DELAY] ");

        private final String prefix;

        ResponseCode(String prefix) {
            this.prefix = prefix;
        }

        /** The code with its brackets and a trailing space, or {@code ""}. */
        String prefix() {
            return prefix;
        }
    }

    /** Opens a message's bytes; blocking, called off the event loop; the caller closes the stream. */
    @FunctionalInterface
    interface MessageSource {
        /**
         * Opens the message.
         *
         * @throws IOException when the file is gone or unreadable
         */
        InputStream open() throws IOException;
    }
}
