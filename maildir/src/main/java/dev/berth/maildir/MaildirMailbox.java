package dev.berth.maildir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;

/**
 * A snapshot of a mailbox's {@code cur/} taken by {@link MaildirStore#open(Path)}. The list does
 * not change when messages arrive later. Methods block (file I/O); the snapshot is immutable and
 * thread-safe, but meant for one POP3 session holding the mailbox's {@link MaildirLock}.
 */
public interface MaildirMailbox {

    /** The mailbox directory. */
    Path directory();

    /** The messages in delivery order (time in the unique name, then the name). Immutable. */
    List<MaildirMessage> messages();

    /**
     * Opens a message's bytes as stored; the caller closes the stream. Blocking.
     *
     * @throws java.nio.file.NoSuchFileException if another client removed it meanwhile
     * @throws IOException if it cannot be opened
     */
    InputStream read(MaildirMessage message) throws IOException;

    /**
     * Removes the files of {@code messages} (already missing ones are fine) and fsyncs the
     * directories they were in. Blocking.
     *
     * @throws IOException if a file cannot be removed or a directory not synced
     */
    void delete(Collection<MaildirMessage> messages) throws IOException;
}
