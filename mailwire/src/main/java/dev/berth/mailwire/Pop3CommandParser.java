package dev.berth.mailwire;

import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Reads one command line (without its line end) into a {@link Pop3Command}; see
 * {@link Pop3Command#parse}. Arguments are separated by single spaces (runs of spaces are
 * tolerated). Pure and thread-safe.
 */
final class Pop3CommandParser {

    private Pop3CommandParser() {
    }

    /** Parses a command line; never throws: a bad line is {@link Pop3Command.Invalid}. */
    static Pop3Command parse(String line) {
        if (line.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            // a CR or NUL in an argument reached replies that echo it (found by Pop3ProxyFuzzTest)
            return invalid("Control character in command.");
        }
        String verb = word(line);
        String rest = line.length() > verb.length() ? line.substring(verb.length() + 1) : "";
        String[] args = rest.isBlank() ? new String[0] : rest.strip().split(" +");
        return switch (verb.toUpperCase(Locale.ROOT)) {
            case "USER" -> args.length == 1 ? new Pop3Command.User(args[0]) : invalid("USER takes one argument");
            case "PASS" -> rest.isEmpty() ? invalid("PASS takes one argument") : new Pop3Command.Pass(rest);
            case "AUTH" -> auth(args);
            case "CAPA" -> none(args, new Pop3Command.Capa());
            case "STLS" -> none(args, new Pop3Command.Stls());
            case "STAT" -> none(args, new Pop3Command.Stat());
            case "NOOP" -> none(args, new Pop3Command.Noop());
            case "RSET" -> none(args, new Pop3Command.Rset());
            case "QUIT" -> none(args, new Pop3Command.Quit());
            case "LIST" -> optionalNumber(args, "LIST", n -> new Pop3Command.ListMessages(n));
            case "UIDL" -> optionalNumber(args, "UIDL", n -> new Pop3Command.Uidl(n));
            case "RETR" -> args.length == 1 && message(args[0]).isPresent()
                    ? new Pop3Command.Retr(message(args[0]).getAsInt()) : invalid("RETR takes a message number");
            case "DELE" -> args.length == 1 && message(args[0]).isPresent()
                    ? new Pop3Command.Dele(message(args[0]).getAsInt()) : invalid("DELE takes a message number");
            case "TOP" -> top(args);
            case "APOP" -> invalid("APOP is not supported.");
            default -> invalid("Unknown command.");
        };
    }

    private static String word(String line) {
        int space = line.indexOf(' ');
        return space < 0 ? line : line.substring(0, space);
    }

    private static Pop3Command auth(String[] args) {
        if (args.length > 2) {
            return invalid("AUTH takes a mechanism and an optional initial response");
        }
        Optional<String> mechanism = args.length > 0
                ? Optional.of(args[0].toUpperCase(Locale.ROOT)) : Optional.empty();
        Optional<String> initial = args.length > 1 ? Optional.of(args[1]) : Optional.empty();
        return new Pop3Command.Auth(mechanism, initial);
    }

    private static Pop3Command top(String[] args) {
        if (args.length != 2 || message(args[0]).isEmpty() || count(args[1]).isEmpty()) {
            return invalid("TOP takes a message number and a number of lines");
        }
        return new Pop3Command.Top(message(args[0]).getAsInt(), count(args[1]).getAsInt());
    }

    private static Pop3Command none(String[] args, Pop3Command command) {
        return args.length == 0 ? command : invalid("Too many arguments.");
    }

    private static Pop3Command optionalNumber(String[] args, String verb,
            java.util.function.Function<OptionalInt, Pop3Command> make) {
        if (args.length == 0) {
            return make.apply(OptionalInt.empty());
        }
        if (args.length == 1 && message(args[0]).isPresent()) {
            return make.apply(message(args[0]));
        }
        return invalid(verb + " takes an optional message number");
    }

    /** A positive message number. */
    private static OptionalInt message(String arg) {
        OptionalInt n = count(arg);
        return n.isPresent() && n.getAsInt() > 0 ? n : OptionalInt.empty();
    }

    /** A non-negative number of at most nine digits. */
    private static OptionalInt count(String arg) {
        if (arg.isEmpty() || arg.length() > 9 || !arg.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(Integer.parseInt(arg));
    }

    private static Pop3Command invalid(String reason) {
        return new Pop3Command.Invalid(reason);
    }
}
