package dev.berth.smtp;

import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * The header lines put before a delivered copy: {@code Return-Path:}, {@code Delivered-To:},
 * {@code Received:} (RFC 5321 4.4, RFC 3848 protocol names) and the scan headers. Pure apart
 * from reading the clock.
 */
final class TraceHeaders {

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private final String hostname;
    private final InstantSource clock;

    TraceHeaders(String hostname, InstantSource clock) {
        this.hostname = hostname;
        this.clock = clock;
    }

    /** The {@code Received:} line for one recipient, CRLF-terminated, folded. */
    String received(Transaction tx, String recipient) {
        Transaction.ClientFacts c = tx.client();
        return "Received: from " + safe(c.helo()) + " (" + c.address() + ")\r\n"
                + "\tby " + hostname + " with " + c.protocol() + " id " + tx.id() + "\r\n"
                + "\tfor <" + safe(recipient) + ">; " + DATE.format(clock.instant()) + "\r\n";
    }

    /** Return-Path, Delivered-To, Received and the extra lines, as one prefix. */
    byte[] maildirPrefix(Transaction tx, String recipient, List<String> extra) {
        StringBuilder out = new StringBuilder();
        out.append("Return-Path: <").append(safe(tx.sender().path())).append(">\r\n");
        out.append("Delivered-To: ").append(safe(recipient)).append("\r\n");
        out.append(received(tx, recipient));
        extra.forEach(out::append);
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String safe(String text) {
        return text == null ? "" : text.replaceAll("[\\x00-\\x1f\\x7f]", "?");
    }
}
