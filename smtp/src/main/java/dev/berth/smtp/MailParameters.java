package dev.berth.smtp;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The ESMTP parameters of MAIL and RCPT: SIZE (RFC 1870), BODY (RFC 6152), SMTPUTF8 (RFC 6531),
 * AUTH (RFC 4954, accepted and ignored) and, where DSN is offered (relay), RET, ENVID, NOTIFY and
 * ORCPT (RFC 3461), kept as text to pass to a next hop that offers DSN. Pure and stateless.
 */
final class MailParameters {

    /** A parsed parameter set, or the reply refusing it. */
    sealed interface Parsed<T> {
        /** Accepted. */
        record Ok<T>(T value) implements Parsed<T> {
        }

        /** Refused with this reply. */
        record Bad<T>(SmtpReply reply) implements Parsed<T> {
        }
    }

    private MailParameters() {
    }

    /** MAIL FROM's parameters; {@code dsn} tells whether DSN is offered. */
    static Parsed<Transaction.Sender> sender(String path, Map<String, String> params, boolean dsn, long maxSize) {
        long size = -1;
        String body = "";
        boolean utf8 = false;
        List<String> dsnParams = new ArrayList<>();
        for (var param : params.entrySet()) {
            String value = param.getValue();
            switch (param.getKey()) {
                case "SIZE" -> {
                    if (!value.matches("[0-9]{1,18}")) {
                        return bad(501, "5.5.4", "Bad SIZE parameter");
                    }
                    size = Long.parseLong(value);
                }
                case "BODY" -> {
                    body = value.toUpperCase(Locale.ROOT);
                    if (!body.equals("7BIT") && !body.equals("8BITMIME")) {
                        return bad(501, "5.5.4", "Unsupported BODY type");
                    }
                }
                case "SMTPUTF8" -> {
                    if (!value.isEmpty()) {
                        return bad(501, "5.5.4", "SMTPUTF8 takes no value");
                    }
                    utf8 = true;
                }
                case "AUTH" -> { }
                case "RET" -> {
                    if (!dsn) {
                        return unsupported("RET");
                    }
                    if (!value.equalsIgnoreCase("FULL") && !value.equalsIgnoreCase("HDRS")) {
                        return bad(501, "5.5.4", "RET must be FULL or HDRS");
                    }
                    dsnParams.add("RET=" + value.toUpperCase(Locale.ROOT));
                }
                case "ENVID" -> {
                    if (!dsn) {
                        return unsupported("ENVID");
                    }
                    if (!isXtext(value) || value.length() > 100) {
                        return bad(501, "5.5.4", "Bad ENVID");
                    }
                    dsnParams.add("ENVID=" + value);
                }
                default -> {
                    return unsupported(param.getKey());
                }
            }
        }
        if (!utf8 && !MailAddress.isAscii(path)) {
            return bad(553, "5.6.7", "Non-ASCII address needs SMTPUTF8");
        }
        if (size > maxSize) {
            return bad(552, "5.3.4", "Message size exceeds fixed limit");
        }
        return new Parsed.Ok<>(new Transaction.Sender(path, size, body, utf8, String.join(" ", dsnParams)));
    }

    /** RCPT TO's parameters: the DSN ones as text (empty when none). */
    static Parsed<String> recipient(Map<String, String> params, boolean dsn) {
        List<String> dsnParams = new ArrayList<>();
        for (var param : params.entrySet()) {
            String value = param.getValue();
            switch (param.getKey()) {
                case "NOTIFY" -> {
                    if (!dsn) {
                        return unsupported("NOTIFY");
                    }
                    String upper = value.toUpperCase(Locale.ROOT);
                    boolean valid = upper.equals("NEVER") || (!upper.isEmpty()
                            && List.of("SUCCESS", "FAILURE", "DELAY").containsAll(List.of(upper.split(",", -1))));
                    if (!valid) {
                        return bad(501, "5.5.4", "NOTIFY must be NEVER or a list of SUCCESS, FAILURE, DELAY");
                    }
                    dsnParams.add("NOTIFY=" + upper);
                }
                case "ORCPT" -> {
                    if (!dsn) {
                        return unsupported("ORCPT");
                    }
                    int semicolon = value.indexOf(';');
                    if (semicolon <= 0 || !isXtext(value.substring(semicolon + 1)) || value.length() > 500) {
                        return bad(501, "5.5.4", "Bad ORCPT");
                    }
                    dsnParams.add("ORCPT=" + value);
                }
                default -> {
                    return unsupported(param.getKey());
                }
            }
        }
        return new Parsed.Ok<>(String.join(" ", dsnParams));
    }

    /** RFC 3461 4: xtext is printable ASCII except '+' and '=' unless as a "+XX" hex escape. */
    private static boolean isXtext(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '+') {
                if (i + 2 >= value.length() || !isHex(value.charAt(i + 1)) || !isHex(value.charAt(i + 2))) {
                    return false;
                }
                i += 2;
            } else if (c < 0x21 || c > 0x7e || c == '=') {
                return false;
            }
        }
        return true;
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F');
    }

    private static <T> Parsed<T> unsupported(String key) {
        return bad(555, "5.5.4", "Unsupported parameter " + key);
    }

    private static <T> Parsed<T> bad(int code, String enhanced, String text) {
        return new Parsed.Bad<>(SmtpReply.of(code, enhanced, text));
    }
}
