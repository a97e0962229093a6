package dev.berth.mailwire;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One POP3 client line as a server understands it, the one parser for the {@code pop3} server and
 * the {@code pop3-proxy}: a command of RFC 1939, RFC 2449, RFC 2595 or RFC 5034, a SASL response
 * line (when the session asked for one; never from {@link #parse}), or a line that could not be
 * read as any command. Message numbers are as the client sent them (1-based, positive).
 *
 * <p>Immutable values, made on an event loop and handled on any thread.
 */
public sealed interface Pop3Command {

    /**
     * Parses one command line (without its line end). Keywords are case-insensitive; arguments
     * are separated by spaces; message numbers and line counts are decimal, at most nine digits.
     * Pure; never throws: a bad line is {@link Invalid}.
     */
    static Pop3Command parse(String line) {
        return Pop3CommandParser.parse(line);
    }

    /** {@code USER name}. */
    record User(String name) implements Pop3Command {
        /** Checks the argument. */
        public User {
            Objects.requireNonNull(name, "name");
        }
    }

    /** {@code PASS password}: the rest of the line, spaces included. */
    record Pass(String password) implements Pop3Command {
        /** Checks the argument. */
        public Pass {
            Objects.requireNonNull(password, "password");
        }

        @Override
        public String toString() {
            return "Pass[***]";
        }
    }

    /**
     * {@code AUTH [mechanism [initial-response]]}; a bare {@code AUTH} asks for the mechanisms.
     *
     * @param mechanism upper-cased
     * @param initialResponse as sent ({@code =} stands for an empty one)
     */
    record Auth(Optional<String> mechanism, Optional<String> initialResponse) implements Pop3Command {
        /** Checks the arguments. */
        public Auth {
            Objects.requireNonNull(mechanism, "mechanism");
            Objects.requireNonNull(initialResponse, "initialResponse");
        }

        @Override
        public String toString() {
            return "Auth[" + mechanism.orElse("") + (initialResponse.isPresent() ? " ***" : "") + "]";
        }
    }

    /** A line sent in answer to a {@code +} continuation: base64, or {@code *} to cancel. */
    record SaslResponse(String line) implements Pop3Command {
        /** Checks the argument. */
        public SaslResponse {
            Objects.requireNonNull(line, "line");
        }

        @Override
        public String toString() {
            return "SaslResponse[***]";
        }
    }

    /** {@code CAPA}. */
    record Capa() implements Pop3Command {
    }

    /** {@code STLS}. */
    record Stls() implements Pop3Command {
    }

    /** {@code STAT}. */
    record Stat() implements Pop3Command {
    }

    /** {@code LIST [msg]}. */
    record ListMessages(OptionalInt message) implements Pop3Command {
    }

    /** {@code UIDL [msg]}. */
    record Uidl(OptionalInt message) implements Pop3Command {
    }

    /** {@code RETR msg}. */
    record Retr(int message) implements Pop3Command {
    }

    /** {@code TOP msg n}: the header, the blank line and {@code n} lines of the body. */
    record Top(int message, int lines) implements Pop3Command {
    }

    /** {@code DELE msg}. */
    record Dele(int message) implements Pop3Command {
    }

    /** {@code NOOP}. */
    record Noop() implements Pop3Command {
    }

    /** {@code RSET}. */
    record Rset() implements Pop3Command {
    }

    /** {@code QUIT}. */
    record Quit() implements Pop3Command {
    }

    /**
     * A line that is no usable command: an unknown verb, APOP (never offered), wrong arguments, or
     * a line too long. Answered with {@code -ERR reason} in any state.
     *
     * @param reason the text after {@code -ERR }
     */
    record Invalid(String reason) implements Pop3Command {
        /** Checks the argument. */
        public Invalid {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
