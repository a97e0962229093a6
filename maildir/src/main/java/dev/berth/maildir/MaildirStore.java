package dev.berth.maildir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Maildir mailboxes under one root: {@code <root>/<domain>/<name>/{tmp,new,cur}}, or
 * {@code <root>/<name>} for a user without a domain.
 *
 * <p>Every method does file I/O and blocks (fsync included): never call one on an event loop.
 * Instances are immutable and safe to use from many threads and from several processes on the
 * same root at once: file names are unique per host, process id, time and a per-process counter,
 * and each file appears in {@code new/} only by an atomic rename. Failures are {@link IOException}s;
 * a full disk is a {@link MailboxFullException}.
 */
public interface MaildirStore {

    /** A store over {@code root}, naming files after this machine's host name. No I/O on the root. */
    static MaildirStore at(Path root) {
        return new DurableMaildirStore(root, UniqueNames.localHostName());
    }

    /** A store over {@code root} naming files after {@code host} (sanitised as Dovecot does). */
    static MaildirStore at(Path root, String host) {
        return new DurableMaildirStore(root, Objects.requireNonNull(host, "host"));
    }

    /** The root directory. */
    Path root();

    /** The mailbox directory of {@code user}; pure, does not create it. */
    Path mailbox(MailUser user);

    /**
     * Delivers one message to several mailboxes, all or nothing. For each target the mailbox
     * directories are created if missing (fsyncing the parents that changed), and
     * {@code prefix + body} is written to {@code tmp/<unique>} and fsynced; only when every copy is
     * written is each renamed to {@code new/<unique>,S=<octets>} and each {@code new/} fsynced.
     * If anything fails before the renames, every tmp file is deleted and nothing is delivered; if
     * a rename fails, the copies already renamed are removed again (best effort).
     *
     * @param targets one per recipient, at least one
     * @param body written once per target, byte-exact
     * @return the final paths in {@code new/}, in target order
     * @throws MailboxFullException if the disk is full or a quota exceeded
     * @throws IOException for any other failure, e.g. a mailbox path that is a regular file
     */
    List<Path> deliver(List<MaildirTarget> targets, MessageBody body) throws IOException;

    /**
     * Opens a snapshot of a mailbox for reading. First moves every message in {@code new/} to
     * {@code cur/<name>:2,} (as Dovecot does) and fsyncs both directories; then lists {@code cur/}
     * in delivery order. Files in {@code tmp/} older than 36 hours, left by crashed deliveries,
     * are removed. A mailbox that does not exist yet is empty (and is not created).
     * Callers serving POP3 hold the {@link #lock} while the snapshot is in use.
     *
     * @throws IOException if listing or moving fails
     */
    MaildirMailbox open(Path mailbox) throws IOException;

    /**
     * Takes the exclusive lock of a mailbox ({@code <mailbox>/.berth.lock}, a POSIX record lock
     * via {@link java.nio.channels.FileChannel#tryLock()}), creating the mailbox directory if
     * needed. Never waits: returns empty if another session of this or any other process holds it.
     * The caller closes the returned lock.
     *
     * @throws IOException if the lock file cannot be created or opened
     */
    Optional<MaildirLock> lock(Path mailbox) throws IOException;

    /** Same as {@link MaildirMailbox#delete(Collection)}. */
    void delete(Collection<MaildirMessage> messages) throws IOException;

    /** Same as {@link MaildirMailbox#read(MaildirMessage)}. */
    InputStream read(MaildirMessage message) throws IOException;
}
