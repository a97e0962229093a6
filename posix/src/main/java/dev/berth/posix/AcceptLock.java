package dev.berth.posix;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * A cross-process lock on a file ({@code flock}), which the kernel releases when its holder dies,
 * so a crashed holder never blocks the others. Each process opens the file itself: flock excludes
 * open file descriptions, not threads, so one instance must be used by one thread at a time.
 */
public final class AcceptLock implements AutoCloseable {

    private final int fd;
    private final Path path;

    private AcceptLock(int fd, Path path) {
        this.fd = fd;
        this.path = path;
    }

    /**
     * Opens (creating) the lock file.
     *
     * @throws PosixException when it cannot be opened
     */
    public static AcceptLock open(Path path) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.callState(arena);
            int fd = (int) Native.Open.HANDLE.invokeExact(state, arena.allocateFrom(path.toString()),
                    Native.O_RDWR | Native.O_CREAT | Native.O_CLOEXEC, 0600);
            if (fd < 0) {
                throw Native.failure("open(" + path + ")", state);
            }
            return new AcceptLock(fd, path);
        } catch (Throwable e) {
            throw Native.unexpected(e);
        }
    }

    /** Blocks until this process holds the lock. */
    public void lock() {
        call(Native.LOCK_EX, "flock(LOCK_EX, " + path + ")");
    }

    /** Releases the lock. */
    public void unlock() {
        call(Native.LOCK_UN, "flock(LOCK_UN, " + path + ")");
    }

    private void call(int operation, String what) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.callState(arena);
            int rc;
            do {
                rc = (int) Native.Flock.HANDLE.invokeExact(state, fd, operation);
            } while (rc < 0 && Native.errno(state) == Native.EINTR);
            if (rc < 0) {
                throw Native.failure(what, state);
            }
        } catch (Throwable e) {
            throw Native.unexpected(e);
        }
    }

    /** Closes the file, which releases the lock if held. */
    @Override
    public void close() {
        FileDescriptors.close(fd);
    }
}
