package dev.berth.smtp;

import dev.berth.smtp.SmtpInput.Auth;
import dev.berth.smtp.SmtpInput.Bdat;
import dev.berth.smtp.SmtpInput.Data;
import dev.berth.smtp.SmtpInput.Helo;
import dev.berth.smtp.SmtpInput.Help;
import dev.berth.smtp.SmtpInput.Invalid;
import dev.berth.smtp.SmtpInput.Mail;
import dev.berth.smtp.SmtpInput.Noop;
import dev.berth.smtp.SmtpInput.Quit;
import dev.berth.smtp.SmtpInput.Rcpt;
import dev.berth.smtp.SmtpInput.Rset;
import dev.berth.smtp.SmtpInput.StartTls;
import dev.berth.smtp.SmtpInput.Unknown;
import dev.berth.smtp.SmtpInput.Vrfy;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Turns one command line (without its CRLF) into a command or an {@link Invalid} carrying the
 * 500/501 reply. Pure and stateless.
 *
 * <p>Line limits (RFC 5321 4.5.3.1.4): 512 octets with CRLF; MAIL and RCPT get 512 more for
 * extension parameters (RFC 1870, 6152, 6531, 3461); AUTH up to 12288 (RFC 4954 4).
 */
final class CommandParser {

    static final int COMMAND_LINE = 512;
    static final int MAIL_LINE = 1024;
    static final int AUTH_LINE = 12288;
    static final int MAX_DOMAIN = 255;

    private CommandParser() {
    }

    /** Parses a line of {@code octets} octets (counting its CRLF). */
    static SmtpInput parse(String line, int octets) {
        int space = line.indexOf(' ');
        String verb = (space < 0 ? line : line.substring(0, space)).toUpperCase(Locale.ROOT);
        String rest = space < 0 ? "" : line.substring(space + 1);
        int limit = switch (verb) {
            case "MAIL", "RCPT" -> MAIL_LINE;
            case "AUTH" -> AUTH_LINE;
            default -> COMMAND_LINE;
        };
        if (octets > limit) {
            return tooLong();
        }
        if (hasControl(line)) {
            // A CR or NUL inside a line would reach replies and logs (found by SmtpFuzzTest)
            return syntax("Syntax: control character in command line");
        }
        return switch (verb) {
            case "HELO" -> helo(rest, false);
            case "EHLO" -> helo(rest, true);
            case "MAIL" -> mail(rest);
            case "RCPT" -> rcpt(rest);
            case "DATA" -> noArgument(rest, new Data());
            case "BDAT" -> bdat(rest);
            case "RSET" -> noArgument(rest, new Rset());
            case "NOOP" -> new Noop();
            case "QUIT" -> noArgument(rest, new Quit());
            case "STARTTLS" -> noArgument(rest, new StartTls());
            case "VRFY" -> rest.isBlank() ? syntax("VRFY needs an argument") : new Vrfy(rest.strip());
            case "HELP" -> new Help();
            case "AUTH" -> auth(rest);
            case "" -> new Invalid(SmtpReply.of(500, "5.5.2", "Error: empty command"));
            default -> new Unknown(verb);
        };
    }

    /**
     * The refusal of a line that is not UTF-8 (RFC 6531 allows UTF-8 only): 553 for an address in
     * MAIL (5.1.7) or RCPT (5.1.3), else 501 5.5.2.
     *
     * @param line the line decoded with replacement characters, to find the verb
     */
    static Invalid malformed(String line) {
        int space = line.indexOf(' ');
        String verb = (space < 0 ? line : line.substring(0, space)).toUpperCase(Locale.ROOT);
        return new Invalid(switch (verb) {
            case "MAIL" -> SmtpReply.of(553, "5.1.7", "Malformed UTF-8 in the sender address");
            case "RCPT" -> SmtpReply.of(553, "5.1.3", "Malformed UTF-8 in the recipient address");
            default -> SmtpReply.of(501, "5.5.2", "Malformed UTF-8 in the command");
        });
    }

    /** The reply for a line over the limit: 500 5.5.6, the session stays in sync. */
    static Invalid tooLong() {
        return new Invalid(SmtpReply.of(500, "5.5.6", "Line too long"));
    }

    private static boolean hasControl(String line) {
        return line.chars().anyMatch(c -> (c < 0x20 && c != '\t') || c == 0x7f);
    }

    private static SmtpInput helo(String rest, boolean extended) {
        String domain = rest.strip();
        if (domain.isEmpty() || domain.indexOf(' ') >= 0) {
            return syntax((extended ? "EHLO" : "HELO") + " needs one domain or address literal");
        }
        if (domain.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_DOMAIN) {
            // RFC 5321 4.5.3.1.2; the 250 echoes the name, and a reply line holds 512 octets
            return syntax((extended ? "EHLO" : "HELO") + " domain longer than 255 octets");
        }
        return new Helo(domain, extended);
    }

    private static SmtpInput mail(String rest) {
        if (!rest.regionMatches(true, 0, "FROM:", 0, 5)) {
            return syntax("Syntax: MAIL FROM:<address>");
        }
        return pathAndParams(rest.substring(5), false);
    }

    private static SmtpInput rcpt(String rest) {
        if (!rest.regionMatches(true, 0, "TO:", 0, 3)) {
            return syntax("Syntax: RCPT TO:<address>");
        }
        return pathAndParams(rest.substring(3), true);
    }

    private static SmtpInput pathAndParams(String text, boolean rcpt) {
        String s = text.stripLeading();
        if (!s.startsWith("<")) {
            return syntax("Syntax: address must be in angle brackets");
        }
        int close = closingBracket(s);
        if (close < 0) {
            return syntax("Syntax: unterminated address");
        }
        String path = s.substring(1, close);
        Optional<String> problem = rcpt ? MailAddress.checkRecipient(path) : MailAddress.checkSender(path);
        if (problem.isPresent()) {
            return new Invalid(SmtpReply.of(501, "5.1.3",
                    "Bad address syntax: " + problem.get()));
        }
        String tail = s.substring(close + 1);
        if (!tail.isEmpty() && !tail.startsWith(" ")) {
            return syntax("Syntax: space expected after the address");
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (String p : tail.strip().split(" +")) {
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.indexOf('=');
            String key = (eq < 0 ? p : p.substring(0, eq)).toUpperCase(Locale.ROOT);
            if (key.isEmpty() || !key.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '-')) {
                return syntax("Syntax: bad parameter " + p);
            }
            params.put(key, eq < 0 ? "" : p.substring(eq + 1));
        }
        String cleanPath = stripSourceRoute(path);
        return rcpt ? new Rcpt(cleanPath, params) : new Mail(cleanPath, params);
    }

    private static int closingBracket(String s) {
        boolean quoted = false;
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && quoted) {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == '>' && !quoted) {
                return i;
            }
        }
        return -1;
    }

    /** RFC 5321 4.1.2: a source route {@code @a,@b:} is accepted and ignored. */
    private static String stripSourceRoute(String path) {
        if (path.startsWith("@")) {
            int colon = path.indexOf(':');
            return colon < 0 ? path : path.substring(colon + 1);
        }
        return path;
    }

    private static SmtpInput bdat(String rest) {
        String[] parts = rest.strip().split(" +");
        if (parts.length < 1 || parts.length > 2 || parts[0].isEmpty() || parts[0].length() > 18
                || !parts[0].chars().allMatch(c -> c >= '0' && c <= '9')) {
            return syntax("Syntax: BDAT size [LAST]");
        }
        if (parts.length == 2 && !parts[1].equalsIgnoreCase("LAST")) {
            return syntax("Syntax: BDAT size [LAST]");
        }
        return new Bdat(Long.parseLong(parts[0]), parts.length == 2);
    }

    private static SmtpInput auth(String rest) {
        String[] parts = rest.strip().split(" +");
        if (parts[0].isEmpty() || parts.length > 2) {
            return syntax("Syntax: AUTH mechanism [initial-response]");
        }
        return new Auth(parts[0].toUpperCase(Locale.ROOT),
                parts.length == 2 ? Optional.of(parts[1]) : Optional.empty());
    }

    private static SmtpInput noArgument(String rest, SmtpInput command) {
        return rest.isBlank() ? command : syntax("Syntax: no parameters allowed");
    }

    private static Invalid syntax(String text) {
        return new Invalid(SmtpReply.of(501, "5.5.4", text));
    }

    /** The octet length of a string in UTF-8. */
    static int octets(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
