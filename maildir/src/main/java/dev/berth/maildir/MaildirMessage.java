package dev.berth.maildir;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One message in a {@link MaildirMailbox} snapshot.
 *
 * @param uid the unique part of the file name (before {@code ,S=} and {@code :2,}): stable
 *     across the move from {@code new/} to {@code cur/} and across sessions, so it serves as the
 *     POP3 UIDL
 * @param size the octets of the file (from {@code ,S=} when present, else the file's size)
 * @param file the file in {@code cur/}
 */
public record MaildirMessage(String uid, long size, Path file) {

    /** Checks the arguments. */
    public MaildirMessage {
        Objects.requireNonNull(uid, "uid");
        Objects.requireNonNull(file, "file");
        if (uid.isEmpty() || size < 0) {
            throw new IllegalArgumentException("uid/size: empty uid or negative size for " + file);
        }
    }
}
