package dev.berth.posix;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;


/**
 * A listening {@code AF_UNIX SOCK_SEQPACKET} socket on a path. {@link #accept} waits at most the
 * poll interval given at {@link #listen}, so an accepting thread can notice {@link #close}.
 *
 * <p>Threads: one accepting thread; {@link #close} from any thread. Owns its fd and its path.
 */
public final class SeqpacketServer implements AutoCloseable {

    private final int fd;
    private final Path path;
    private final boolean ownsPath;
    private volatile boolean closed;

    private SeqpacketServer(int fd, Path path, boolean ownsPath) {
        this.fd = fd;
        this.path = path;
        this.ownsPath = ownsPath;
    }

    /**
     * Binds and listens at {@code path}, replacing a stale socket file left by a dead process.
     *
     * @param path the socket file; its mode is set to 0600 (owner only)
     * @param poll how long one {@link #accept} waits before returning empty; zero: until a
     *     connection comes or {@link #close}
     * @throws PosixException when the path cannot be bound
     */
    public static SeqpacketServer listen(Path path, Duration poll) {
        try (Arena call = Arena.ofConfined()) {
            Files.deleteIfExists(path);
            MemorySegment state = Native.callState(call);
            int fd = (int) Native.Socket.HANDLE.invokeExact(state, Native.AF_UNIX, Native.SOCK_SEQPACKET | Native.SOCK_CLOEXEC, 0);
            if (fd < 0) {
                throw Native.failure("socket(AF_UNIX)", state);
            }
            SeqpacketServer server = new SeqpacketServer(fd, path, true);
            MemorySegment sa = SocketAddresses.unix(call, path);
            if ((int) Native.Bind.HANDLE.invokeExact(state, fd, sa, (int) sa.byteSize()) < 0
                    || (int) Native.Listen.HANDLE.invokeExact(state, fd, 128) < 0) {
                PosixException failure = Native.failure("bind/listen(" + path + ")", state);
                FileDescriptors.close(fd);
                throw failure;
            }
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
            SocketOptions.receiveTimeout(fd, poll);
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Throwable e) {
            throw Native.unexpected(e);
        }
    }

    /**
     * Takes ownership of a listening socket that another process created with {@link #listen} and
     * passed here (SCM_RIGHTS). The receive timeout set at {@code listen} belongs to the socket, so
     * {@link #accept} waits as long here. {@link #close} closes this copy only and leaves the file
     * to its creator.
     *
     * @param fd a listening {@code AF_UNIX SOCK_SEQPACKET} socket, owned from now on
     * @param path the file it is bound to, for messages
     */
    public static SeqpacketServer adopt(int fd, Path path) {
        if (fd < 0) {
            throw new IllegalArgumentException("fd must be >= 0: " + fd);
        }
        return new SeqpacketServer(fd, path, false);
    }

    /** The descriptor; still owned by this server. */
    public int fd() {
        return fd;
    }

    /** The socket file. */
    public Path path() {
        return path;
    }

    /**
     * Waits up to the poll interval for a connection.
     *
     * @return the connection, owned by the caller, or empty if none came or the server is closed
     */
    public Optional<SeqpacketSocket> accept() {
        if (closed) {
            return Optional.empty();
        }
        try (Arena call = Arena.ofConfined()) {
            MemorySegment state = Native.callState(call);
            int conn = (int) Native.Accept4.HANDLE.invokeExact(state, fd, MemorySegment.NULL, MemorySegment.NULL,
                    Native.SOCK_CLOEXEC);
            if (conn < 0) {
                int errno = Native.errno(state);
                if (errno == Native.EAGAIN || errno == Native.EINTR || errno == Native.ECONNABORTED || closed) {
                    return Optional.empty();
                }
                throw new PosixException("accept4(" + path + ")", errno, Native.describe(errno));
            }
            return Optional.of(adopt(conn));
        } catch (Throwable e) {
            throw Native.unexpected(e);
        }
    }

    /** Wraps an accepted descriptor; closes it if that fails (an Error), so that it cannot leak. */
    private static SeqpacketSocket adopt(int conn) {
        try {
            SeqpacketSocket socket = new SeqpacketSocket(conn);
            socket.setBuffers();
            return socket;
        } catch (Throwable e) {
            FileDescriptors.close(conn);
            throw e;
        }
    }

    /**
     * Closes the socket. One made by {@link #listen} is shut down first (which wakes a thread
     * blocked in {@link #accept}) and its file removed; an adopted copy is only closed, since
     * shutting it down would end it for the other processes that hold it. Idempotent.
     */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            if (ownsPath) {
                FileDescriptors.shutdown(fd);
            }
            FileDescriptors.close(fd);
            if (!ownsPath) {
                return;
            }
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
