package dev.berth.maildir;

import java.nio.file.Path;

/**
 * The exclusive lock of one mailbox, from {@link MaildirStore#lock(Path)}; held until closed.
 * Closing is idempotent, never throws, and may be called from any thread.
 */
public interface MaildirLock extends AutoCloseable {

    /** The locked mailbox directory. */
    Path mailbox();

    /** Releases the lock; further calls do nothing. */
    @Override
    void close();
}
