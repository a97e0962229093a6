package dev.berth.pop3;

import dev.berth.maildir.MaildirMessage;
import dev.berth.pop3.Pop3Reply.Err;
import dev.berth.pop3.Pop3Reply.Ok;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * The TRANSACTION state of one session: the maildrop's snapshot, numbered from 1, with the
 * messages marked deleted. Marks live only here until {@link #commit} (the UPDATE state), so a
 * connection that ends without QUIT deletes nothing.
 *
 * <p>Thread: whichever thread runs the session's current command, one at a time. Owns the
 * {@link Maildrop} and closes it in {@link #commit} or {@link #abandon}.
 */
final class Transaction {

    private final Maildrop maildrop;
    private final List<MaildirMessage> messages;
    private final boolean[] deleted;

    Transaction(Maildrop maildrop) {
        this.maildrop = maildrop;
        this.messages = List.copyOf(maildrop.messages());
        this.deleted = new boolean[messages.size()];
    }

    /** {@code +OK count octets} over the messages not marked deleted. */
    Pop3Reply stat() {
        return new Ok(count() + " " + octets());
    }

    /** The scan listing: one message, or every message not marked deleted. */
    Pop3Reply list(OptionalInt message) {
        return listing(message, m -> Long.toString(m.size()),
                count() + " messages (" + octets() + " octets)");
    }

    /** The unique-id listing (RFC 1939 §7), with the same rules as {@link #list}. */
    Pop3Reply uidl(OptionalInt message) {
        return listing(message, m -> uniqueId(m.uid()), "");
    }

    /**
     * The Maildir uid when RFC 1939 allows it as a unique-id (1 to 70 characters from {@code !}
     * to {@code ~}), else a stable digest of it: the same file gets the same id in every session.
     */
    static String uniqueId(String uid) {
        if (uid.length() <= 70 && uid.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
            return uid;
        }
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(uid.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return "sha256-" + java.util.HexFormat.of().formatHex(digest, 0, 24);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** The whole message, or its header and {@code bodyLines} lines of its body. */
    Pop3Reply content(int number, long bodyLines) {
        Err refused = refusal(number);
        if (refused != null) {
            return refused;
        }
        MaildirMessage message = messages.get(number - 1);
        String text = bodyLines == Long.MAX_VALUE ? message.size() + " octets" : "";
        return new Pop3Reply.Content(text, () -> maildrop.read(message), bodyLines);
    }

    /** Marks a message deleted. */
    Pop3Reply dele(int number) {
        Err refused = refusal(number);
        if (refused != null) {
            return refused;
        }
        deleted[number - 1] = true;
        return new Ok("Message " + number + " deleted.");
    }

    /** Unmarks every message. */
    Pop3Reply rset() {
        java.util.Arrays.fill(deleted, false);
        return new Ok("Maildrop has " + count() + " messages (" + octets() + " octets).");
    }

    /**
     * The UPDATE state: removes the marked messages, then releases the maildrop.
     *
     * @return the reply to QUIT
     */
    Pop3Reply commit() {
        List<MaildirMessage> marked = new ArrayList<>();
        for (int i = 0; i < deleted.length; i++) {
            if (deleted[i]) {
                marked.add(messages.get(i));
            }
        }
        try {
            if (!marked.isEmpty()) {
                maildrop.delete(marked);
            }
            return new Ok("Logging out.");
        } catch (IOException | RuntimeException e) {
            Pop3Session.LOG.log(System.Logger.Level.WARNING, "deleting at QUIT failed", e);
            return new Err(Pop3Reply.ResponseCode.SYS_TEMP, "Some deleted messages were not removed.");
        } finally {
            maildrop.close();
        }
    }

    /** Ends the session without the UPDATE state: nothing is deleted. */
    void abandon() {
        maildrop.close();
    }

    private Pop3Reply listing(OptionalInt message, Function<MaildirMessage, String> column, String text) {
        if (message.isPresent()) {
            int number = message.getAsInt();
            Err refused = refusal(number);
            return refused != null ? refused : new Ok(number + " " + column.apply(messages.get(number - 1)));
        }
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            if (!deleted[i]) {
                lines.add((i + 1) + " " + column.apply(messages.get(i)));
            }
        }
        return new Pop3Reply.Lines(text, lines);
    }

    /** Why a message number cannot be used, or {@code null} when it can. */
    private Err refusal(int number) {
        if (number < 1 || number > messages.size()) {
            return Err.of("There is no message " + number + ".");
        }
        if (deleted[number - 1]) {
            return Err.of("Message " + number + " is deleted.");
        }
        return null;
    }

    private int count() {
        int count = 0;
        for (boolean d : deleted) {
            count += d ? 0 : 1;
        }
        return count;
    }

    private long octets() {
        long octets = 0;
        for (int i = 0; i < messages.size(); i++) {
            octets += deleted[i] ? 0 : messages.get(i).size();
        }
        return octets;
    }
}
