package dev.berth.scan;

import java.util.List;
import java.util.Objects;

/**
 * What the mail service knows about a message besides its content, handed to scanners that use
 * it (rspamd's {@code IP}, {@code Helo}, {@code From} and {@code Rcpt} headers). Immutable.
 * Unknown parts are empty strings (or an empty list), never null.
 *
 * @param clientAddress the SMTP client's numeric IP address, or empty
 * @param helo the HELO/EHLO name the client gave, or empty
 * @param mailFrom the reverse path without angle brackets (empty for the null sender or unknown)
 * @param recipients the forward paths without angle brackets, in RCPT order
 */
public record Envelope(String clientAddress, String helo, String mailFrom, List<String> recipients) {

    /** Nothing known: a POP3-retrieved message, say. */
    public static final Envelope NONE = new Envelope("", "", "", List.of());

    /**
     * Checks for nulls and copies the list.
     *
     * @throws NullPointerException if any component or recipient is null
     */
    public Envelope {
        Objects.requireNonNull(clientAddress, "clientAddress");
        Objects.requireNonNull(helo, "helo");
        Objects.requireNonNull(mailFrom, "mailFrom");
        recipients = List.copyOf(recipients);
    }
}
