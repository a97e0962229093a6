package dev.berth.mailproxy;

import java.util.Locale;
import java.util.Objects;

/**
 * A POP3 command in the AUTHORIZATION state, as the proxy understands it. Parsed from one line
 * (without CRLF) by {@link #parse}; every line parses to some command.
 */
sealed interface Pop3Command {

    /** {@code USER name}: the rest of the line, spaces included. */
    record User(String name) implements Pop3Command {
        /** Checks the argument. */
        public User {
            Objects.requireNonNull(name, "name");
        }
    }

    /** {@code PASS secret}: the rest of the line, spaces included. */
    record Pass(String password) implements Pop3Command {
        /** Checks the argument. */
        public Pass {
            Objects.requireNonNull(password, "password");
        }
    }

    /**
     * {@code AUTH mechanism [initial-response]}.
     *
     * @param mechanism upper-cased; empty for a bare {@code AUTH} (list mechanisms)
     * @param initial the base64 initial response, empty string when absent
     */
    record Auth(String mechanism, String initial) implements Pop3Command {
        /** Checks the arguments. */
        public Auth {
            Objects.requireNonNull(mechanism, "mechanism");
            Objects.requireNonNull(initial, "initial");
        }
    }

    /** {@code CAPA}. */
    record Capa() implements Pop3Command {
    }

    /** {@code STLS}. */
    record Stls() implements Pop3Command {
    }

    /** {@code QUIT}. */
    record Quit() implements Pop3Command {
    }

    /** A line sent as the response to an {@code AUTH PLAIN} challenge ({@code +}); never from {@link #parse}. */
    record SaslResponse(String text) implements Pop3Command {
        /** Checks the argument. */
        public SaslResponse {
            Objects.requireNonNull(text, "text");
        }
    }

    /** Any other line, including APOP and the transaction commands. */
    record Other(String verb) implements Pop3Command {
        /** Checks the argument. */
        public Other {
            Objects.requireNonNull(verb, "verb");
        }
    }

    /** Parses one line. Pure; never fails. */
    static Pop3Command parse(String line) {
        int space = line.indexOf(' ');
        String verb = (space < 0 ? line : line.substring(0, space)).toUpperCase(Locale.ROOT);
        String rest = space < 0 ? "" : line.substring(space + 1);
        return switch (verb) {
            case "USER" -> rest.isEmpty() ? new Other(verb) : new User(rest);
            case "PASS" -> new Pass(rest);
            case "AUTH" -> {
                String[] parts = rest.strip().split(" +", 2);
                yield new Auth(parts[0].toUpperCase(Locale.ROOT), parts.length > 1 ? parts[1] : "");
            }
            case "CAPA" -> new Capa();
            case "STLS" -> new Stls();
            case "QUIT" -> new Quit();
            default -> new Other(verb);
        };
    }
}
