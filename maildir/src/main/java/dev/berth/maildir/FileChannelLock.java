package dev.berth.maildir;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A mailbox lock: a POSIX record lock on {@code <mailbox>/.berth.lock} excludes other processes;
 * a per-process set of held mailboxes excludes other sessions of this JVM (POSIX locks are
 * per-process, and a second descriptor on the file would release the lock when closed).
 */
final class FileChannelLock implements MaildirLock {

    private static final System.Logger LOG = System.getLogger(FileChannelLock.class.getName());
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    private final Path mailbox;
    private final FileChannel channel;
    private final AtomicBoolean closed = new AtomicBoolean();

    private FileChannelLock(Path mailbox, FileChannel channel) {
        this.mailbox = mailbox;
        this.channel = channel;
    }

    static Optional<MaildirLock> tryLock(Path mailbox) throws IOException {
        MaildirFiles.ensureDirectory(mailbox);
        Path key = mailbox.toRealPath();
        if (!HELD.add(key)) {
            return Optional.empty();
        }
        FileChannel ch = null;
        try {
            ch = FileChannel.open(key.resolve(".berth.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = ch.tryLock();
            if (lock != null) {
                return Optional.of(new FileChannelLock(key, ch));
            }
        } catch (OverlappingFileLockException e) {
            // held through another channel of this JVM that bypassed HELD: still exclusion
        } catch (IOException | RuntimeException | Error e) {
            HELD.remove(key);
            closeQuietly(ch, e);
            throw e;
        }
        HELD.remove(key);
        closeQuietly(ch, null);
        return Optional.empty();
    }

    private static void closeQuietly(FileChannel ch, Throwable failure) {
        if (ch == null) {
            return;
        }
        try {
            ch.close();
        } catch (IOException e) {
            if (failure != null) {
                failure.addSuppressed(e);
            }
        }
    }

    @Override
    public Path mailbox() {
        return mailbox;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            channel.close(); // releases the lock with it
        } catch (IOException e) {
            LOG.log(Level.WARNING, "could not release the lock of " + mailbox, e);
        } finally {
            HELD.remove(mailbox);
        }
    }
}
