package dev.berth.maildir;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One recipient's copy of a delivery: the mailbox directory (as from
 * {@link MaildirStore#mailbox(MailUser)}) and the header lines written before the message, for
 * example {@code Return-Path:}, {@code Delivered-To:} and {@code Received:}, already
 * CRLF-terminated. The prefix array is not copied and must not change afterwards.
 *
 * @param mailbox the Maildir directory holding {@code tmp}, {@code new} and {@code cur}
 * @param prefix bytes written before the body; may be empty
 */
public record MaildirTarget(Path mailbox, byte[] prefix) {

    /** Checks both arguments are present. */
    public MaildirTarget {
        Objects.requireNonNull(mailbox, "mailbox");
        Objects.requireNonNull(prefix, "prefix");
    }
}
