package dev.berth.maildir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit of one directory's fsync: every thread that renamed a message into the directory
 * and calls {@link #sync} returns once an fsync that <em>began after its call</em> has ended, but
 * threads that call while an fsync is running share the next one instead of each running its own.
 * So n sessions delivering into one {@code new/} at once cost about two directory fsyncs, not n,
 * and still none gets its 250 before its own rename is on the disk.
 *
 * <pre>
 *   round k running ─────────┐ round k+1 (everyone who called meanwhile) ─┐
 *   A calls, runs round k    │ B, C call: wait for round k+1               │ B, C return
 * </pre>
 *
 * <p>A failed fsync fails exactly the callers of its round. One instance per directory per JVM
 * ({@link #of}); thread-safe; the syncing thread is one of the callers (no thread of its own).
 */
final class DirectorySync {

    /** The fsync itself, replaceable in tests. */
    @FunctionalInterface
    interface Fsync {
        void fsync(Path dir) throws IOException;
    }

    private static final ConcurrentHashMap<Path, DirectorySync> DIRECTORIES = new ConcurrentHashMap<>();

    /** One round of callers, all served by one fsync. */
    private static final class Round {
        boolean done;
        IOException failure;
    }

    private final Path dir;
    private final Fsync fsync;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition ended = lock.newCondition();
    private Round next = new Round();
    private boolean running;

    DirectorySync(Path dir, Fsync fsync) {
        this.dir = dir;
        this.fsync = fsync;
    }

    /** This JVM's group commit for {@code dir} (one per directory: a mailbox's {@code new/}). */
    static DirectorySync of(Path dir) {
        return DIRECTORIES.computeIfAbsent(dir.toAbsolutePath().normalize(),
                d -> new DirectorySync(d, MaildirFiles::fsync));
    }

    /**
     * Returns once an fsync of the directory that began after this call has ended.
     *
     * @throws IOException when that fsync failed
     */
    void sync() throws IOException {
        lock.lock();
        try {
            Round mine = next;
            while (!mine.done) {
                if (running) {
                    ended.awaitUninterruptibly();
                    continue;
                }
                // mine is the round to run now: whoever joins from here on waits for the one after
                running = true;
                next = new Round();
                lock.unlock();
                IOException failure = new IOException("the fsync did not complete");
                try {
                    fsync.fsync(dir);
                    failure = null;
                } catch (IOException e) {
                    failure = e;
                } finally {
                    lock.lock();
                    mine.failure = failure;
                    mine.done = true;
                    running = false;
                    ended.signalAll();
                }
            }
            if (mine.failure != null) {
                throw new IOException("fsync of " + dir + ": " + mine.failure.getMessage(), mine.failure);
            }
        } finally {
            lock.unlock();
        }
    }
}
