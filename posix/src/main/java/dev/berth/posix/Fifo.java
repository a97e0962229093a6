package dev.berth.posix;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * A named pipe ({@code mkfifo(3)}) used as a doorbell between processes: the reader keeps it open
 * read-write and non-blocking in its {@code epoll} set (so that it never sees end-of-file, with or
 * without writers), and another process {@link #poke}s it with one byte to wake that reader. Unlike a
 * futex, a thread that sleeps in {@code epoll_wait} for its sockets can be woken through it.
 *
 * <p>Every method is static, thread-safe and never blocks: descriptors are non-blocking and the
 * caller owns (and closes, with {@link FileDescriptors#close}) what {@link #openReader} and {@link
 * #openWriter} return.
 */
public final class Fifo {

    private static final int MODE = 0600;
    private static final int O_CLOEXEC = 02000000;

    private Fifo() {
    }

    /**
     * Creates the pipe at {@code path} if nothing is there, and opens it for reading (read-write,
     * non-blocking, close-on-exec).
     *
     * @return the descriptor
     * @throws PosixException when it cannot be created or opened (EACCES, a missing directory)
     */
    public static int openReader(Path path) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment name = arena.allocateFrom(path.toString());
            MemorySegment state = Native.callState(arena);
            int rc = (int) Native.Mkfifo.HANDLE.invokeExact(state, name, MODE);
            if (rc < 0 && Native.errno(state) != Native.EEXIST) {
                throw Native.failure("mkfifo(" + path + ")", state);
            }
            int fd = (int) Native.Open.HANDLE.invokeExact(state, name, Native.O_RDWR | Native.O_NONBLOCK | O_CLOEXEC, 0);
            if (fd < 0) {
                throw Native.failure("open(" + path + ")", state);
            }
            return fd;
        } catch (Throwable e) {
            throw Native.unexpected(e);
        }
    }

    /**
     * Opens the pipe at {@code path} for writing (non-blocking, close-on-exec).
     *
     * @return the descriptor, or -1 when there is no pipe there or nobody has it open for reading
     *     (ENOENT, ENXIO)
     * @throws PosixException for other failures (EACCES)
     */
    public static int openWriter(Path path) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment name = arena.allocateFrom(path.toString());
            MemorySegment state = Native.callState(arena);
            int fd = (int) Native.Open.HANDLE.invokeExact(state, name, Native.O_WRONLY | Native.O_NONBLOCK | O_CLOEXEC, 0);
            if (fd < 0) {
                int errno = Native.errno(state);
                if (errno == Native.ENOENT || errno == Native.ENXIO) {
                    return -1;
                }
                throw Native.failure("open(" + path + ")", state);
            }
            return fd;
        } catch (Throwable e) {
            throw Native.unexpected(e);
        }
    }

    /**
     * Writes one byte, waking a reader that waits for it to become readable.
     *
     * @return false when nobody has the pipe open for reading any more (EPIPE; the JVM ignores the
     *     SIGPIPE); a full pipe (EAGAIN) counts as delivered, since its reader has bytes to wake it
     */
    public static boolean poke(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.callState(arena);
            MemorySegment one = arena.allocate(1);
            long n = (long) Native.Write.HANDLE.invokeExact(state, fd, one, 1L);
            if (n < 0) {
                int errno = Native.errno(state);
                if (errno == Native.EPIPE) {
                    return false;
                }
                if (errno != Native.EAGAIN) {
                    throw Native.failure("write(fifo)", state);
                }
            }
            return true;
        } catch (Throwable e) {
            throw Native.unexpected(e);
        }
    }

    /**
     * Reads everything waiting in the pipe, so that it is no longer readable until the next
     * {@link #poke}.
     *
     * @return how many bytes were read
     */
    public static int drain(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.callState(arena);
            MemorySegment buffer = arena.allocate(256);
            int total = 0;
            while (true) {
                long n = (long) Native.Read.HANDLE.invokeExact(state, fd, buffer, buffer.byteSize());
                if (n > 0) {
                    total += (int) n;
                    continue;
                }
                if (n == 0 || Native.errno(state) == Native.EAGAIN) {
                    return total;
                }
                if (Native.errno(state) != Native.EINTR) {
                    throw Native.failure("read(fifo)", state);
                }
            }
        } catch (Throwable e) {
            throw Native.unexpected(e);
        }
    }
}
