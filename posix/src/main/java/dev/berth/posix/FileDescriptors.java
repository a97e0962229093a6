package dev.berth.posix;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** Operations on raw file descriptors that the JDK does not offer. Thread-safe; none blocks. */
public final class FileDescriptors {

    private FileDescriptors() {
    }

    /**
     * Closes a descriptor. A failure (EBADF, EIO) is reported as an exception; EINTR is not retried,
     * as on Linux the descriptor is released anyway.
     */
    public static void close(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.callState(arena);
            int rc = (int) Native.Close.HANDLE.invokeExact(state, fd);
            if (rc < 0 && Native.errno(state) != Native.EINTR) {
                throw Native.failure("close(" + fd + ")", state);
            }
        } catch (Throwable e) {
            throw Native.unexpected(e);
        }
    }

    /**
     * Shuts a socket down for reading and writing (SHUT_RDWR), waking threads blocked on it in this
     * or any other process. Failures (ENOTCONN: already down) are ignored: the caller closes next.
     */
    public static void shutdown(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            int ignored = (int) Native.Shutdown.HANDLE.invokeExact(Native.callState(arena), fd, 2);
        } catch (Throwable e) {
            throw Native.unexpected(e);
        }
    }

    /** Closes every descriptor, adding later failures to the first as suppressed. */
    public static void closeAll(int... fds) {
        RuntimeException failure = null;
        for (int fd : fds) {
            try {
                close(fd);
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * A second descriptor for the same open file (close-on-exec), as another process holds after
     * {@code SCM_RIGHTS}: the file (a socket) lives until both are closed.
     *
     * @throws PosixException when it cannot (EBADF, EMFILE)
     */
    public static int duplicate(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.callState(arena);
            int copy = (int) Native.FcntlSet.HANDLE.invokeExact(state, fd, Native.F_DUPFD_CLOEXEC, 0);
            if (copy < 0) {
                throw Native.failure("fcntl(F_DUPFD_CLOEXEC)", state);
            }
            return copy;
        } catch (Throwable e) {
            throw Native.unexpected(e);
        }
    }

    /** Sets ({@code blocking == false}) or clears O_NONBLOCK on the descriptor's open file. */
    public static void blocking(int fd, boolean blocking) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.callState(arena);
            int flags = (int) Native.FcntlGet.HANDLE.invokeExact(state, fd, Native.F_GETFL);
            if (flags < 0) {
                throw Native.failure("fcntl(F_GETFL)", state);
            }
            int wanted = blocking ? flags & ~Native.O_NONBLOCK : flags | Native.O_NONBLOCK;
            if (wanted != flags && (int) Native.FcntlSet.HANDLE.invokeExact(state, fd, Native.F_SETFL, wanted) < 0) {
                throw Native.failure("fcntl(F_SETFL)", state);
            }
        } catch (Throwable e) {
            throw Native.unexpected(e);
        }
    }

    /** Whether O_NONBLOCK is set. */
    public static boolean isBlocking(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.callState(arena);
            int flags = (int) Native.FcntlGet.HANDLE.invokeExact(state, fd, Native.F_GETFL);
            if (flags < 0) {
                throw Native.failure("fcntl(F_GETFL)", state);
            }
            return (flags & Native.O_NONBLOCK) == 0;
        } catch (Throwable e) {
            throw Native.unexpected(e);
        }
    }
}
