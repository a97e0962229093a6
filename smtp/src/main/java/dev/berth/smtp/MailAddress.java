package dev.berth.smtp;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * Checks of RFC 5321 paths (4.1.2, limits of 4.5.3.1): local-part at most 64 octets, domain at
 * most 255, path at most 256 with the brackets. UTF-8 is allowed (RFC 6531); whether the
 * transaction may carry it is the session's business. Pure and stateless.
 */
final class MailAddress {

    static final int LOCAL_PART = 64;
    static final int DOMAIN = 255;
    static final int PATH = 256;

    private MailAddress() {
    }

    /** A problem with a reverse-path (without brackets; empty is the null sender), or empty. */
    static Optional<String> checkSender(String path) {
        return path.isEmpty() ? Optional.empty() : checkMailbox(path);
    }

    /** A problem with a forward-path (without brackets; {@code Postmaster} allowed), or empty. */
    static Optional<String> checkRecipient(String path) {
        if (path.equalsIgnoreCase("postmaster")) {
            return Optional.empty();
        }
        return path.isEmpty() ? Optional.of("empty recipient") : checkMailbox(path);
    }

    private static Optional<String> checkMailbox(String path) {
        String mailbox = path.startsWith("@") && path.indexOf(':') > 0 ? path.substring(path.indexOf(':') + 1) : path;
        if (octets(path) + 2 > PATH) {
            return Optional.of("too long: path over " + PATH + " octets");
        }
        int at = mailbox.lastIndexOf('@');
        if (at <= 0 || at == mailbox.length() - 1) {
            return Optional.of("expected local-part@domain");
        }
        String local = mailbox.substring(0, at);
        String domain = mailbox.substring(at + 1);
        if (octets(local) > LOCAL_PART) {
            return Optional.of("too long: local-part over " + LOCAL_PART + " octets");
        }
        if (octets(domain) > DOMAIN) {
            return Optional.of("too long: domain over " + DOMAIN + " octets");
        }
        if (!validLocal(local)) {
            return Optional.of("bad local-part");
        }
        if (!validDomain(domain)) {
            return Optional.of("bad domain");
        }
        return Optional.empty();
    }

    private static boolean validLocal(String local) {
        if (local.startsWith("\"") && local.endsWith("\"") && local.length() >= 2) {
            return local.chars().allMatch(c -> c >= 0x20 && c != 0x7f);
        }
        if (local.startsWith(".") || local.endsWith(".") || local.contains("..")) {
            return false;
        }
        return local.chars().allMatch(c -> c >= 0x80 || (c > 0x20 && c < 0x7f && "()<>[]:;@\\,\"".indexOf(c) < 0));
    }

    private static boolean validDomain(String domain) {
        if (domain.startsWith("[") && domain.endsWith("]")) {
            return domain.chars().allMatch(c -> c > 0x20 && c < 0x7f);
        }
        for (String label : domain.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63 || label.startsWith("-") || label.endsWith("-")) {
                return false;
            }
            if (!label.chars().allMatch(c -> c >= 0x80 || Character.isLetterOrDigit(c) || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /** The domain of a mailbox, lower case; empty for {@code Postmaster} or the null path. */
    static String domain(String path) {
        int at = path.lastIndexOf('@');
        return at < 0 ? "" : path.substring(at + 1).toLowerCase(Locale.ROOT);
    }

    /** Whether the text has octets beyond ASCII (needs SMTPUTF8). */
    static boolean isAscii(String s) {
        return s.chars().allMatch(c -> c < 0x80);
    }

    static int octets(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
