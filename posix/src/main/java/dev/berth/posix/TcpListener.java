package dev.berth.posix;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.time.Duration;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * A listening TCP socket held as a raw file descriptor, so that it can be passed to other
 * processes with SCM_RIGHTS and accepted from by blocking threads.
 *
 * <p>Why blocking accept: Linux wakes the threads blocked in {@code accept()} on one socket one at a
 * time and in FIFO order, across processes, so a shared socket stays balanced; epoll wakes the most
 * recent waiter first and lets one process take most of the load (see docs/adr/0002). A bounded
 * {@link #acceptTimeout} lets an accepting thread notice that it should stop.
 *
 * <p>Thread-safety: {@link #accept} may be called from several threads at once; {@link #close} once,
 * after the accepting threads have stopped. The instance owns its fd.
 */
public final class TcpListener implements AutoCloseable {

    private final int fd;
    private volatile boolean closed;

    private TcpListener(int fd) {
        this.fd = fd;
    }

    /**
     * Creates, binds and listens. IPv6 sockets are IPv6-only, so {@code [::]:p} and
     * {@code 0.0.0.0:p} can both be bound, as nginx does.
     *
     * @param address a resolved address; port 0 binds a free port ({@link #localAddress} tells which)
     * @param backlog the accept queue length (capped by net.core.somaxconn)
     * @param reusePort whether to set SO_REUSEPORT before bind
     * @throws PosixException if the address cannot be bound (in use, not local, no permission)
     */
    public static TcpListener bind(InetSocketAddress address, int backlog, boolean reusePort) {
        return open(address, backlog, reusePort, true);
    }

    /**
     * Binds an SO_REUSEPORT socket without listening: it holds the address (and the port chosen
     * for port 0) while listening sockets of the same group come and go, and never receives a
     * connection itself.
     *
     * @throws PosixException if the address cannot be bound
     */
    public static TcpListener reserve(InetSocketAddress address) {
        return open(address, 0, true, false);
    }

    private static TcpListener open(InetSocketAddress address, int backlog, boolean reusePort, boolean listen) {
        boolean v6 = address.getAddress() instanceof Inet6Address;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.callState(arena);
            int fd = (int) Native.Socket.HANDLE.invokeExact(state, v6 ? Native.AF_INET6 : Native.AF_INET,
                    Native.SOCK_STREAM | Native.SOCK_CLOEXEC, 0);
            if (fd < 0) {
                throw Native.failure("socket", state);
            }
            TcpListener listener = new TcpListener(fd);
            try {
                SocketOptions.setInt(fd, Native.SOL_SOCKET, Native.SO_REUSEADDR, 1, "SO_REUSEADDR");
                if (reusePort) {
                    SocketOptions.setInt(fd, Native.SOL_SOCKET, Native.SO_REUSEPORT, 1, "SO_REUSEPORT");
                }
                if (v6) {
                    SocketOptions.setInt(fd, Native.IPPROTO_IPV6, Native.IPV6_V6ONLY, 1, "IPV6_V6ONLY");
                }
                MemorySegment sa = SocketAddresses.inet(arena, address);
                if ((int) Native.Bind.HANDLE.invokeExact(state, fd, sa, (int) sa.byteSize()) < 0) {
                    throw Native.failure("bind(" + address + ")", state);
                }
                if (listen && (int) Native.Listen.HANDLE.invokeExact(state, fd, backlog) < 0) {
                    throw Native.failure("listen(" + address + ")", state);
                }
                return listener;
            } catch (RuntimeException e) {
                listener.close();
                throw e;
            }
        } catch (Throwable e) {
            throw Native.unexpected(e);
        }
    }

    /**
     * Takes ownership of a listening socket received from another process.
     *
     * @param fd an open, listening TCP socket
     */
    public static TcpListener adopt(int fd) {
        if (fd < 0) {
            throw new IllegalArgumentException("fd must be >= 0: " + fd);
        }
        return new TcpListener(fd);
    }

    /** The file descriptor; still owned by this listener. */
    public int fd() {
        return fd;
    }

    /** The address the kernel bound, with the real port when port 0 was asked for. */
    public InetSocketAddress localAddress() {
        return TcpConnections.local(fd);
    }

    /**
     * Makes {@link #accept} return -1 after waiting this long with nothing to accept (SO_RCVTIMEO).
     * The option belongs to the socket, so it holds in every process that shares it.
     */
    public void acceptTimeout(Duration timeout) {
        SocketOptions.receiveTimeout(fd, timeout);
    }

    /**
     * Sets or clears O_NONBLOCK. The flag belongs to the open file description, which every process
     * holding this socket shares.
     */
    public void blocking(boolean blocking) {
        FileDescriptors.blocking(fd, blocking);
    }

    /**
     * Accepts one connection, blocking up to the accept timeout. The new socket is non-blocking and
     * close-on-exec; the caller owns it.
     *
     * @return the connection's fd, or -1 when the wait timed out, was interrupted, or the peer gave
     *     up before accept
     * @throws PosixException on a real failure (EMFILE, ENFILE, ENOBUFS, EBADF)
     */
    public int accept() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.callState(arena);
            int conn = (int) Native.Accept4.HANDLE.invokeExact(state, fd, MemorySegment.NULL, MemorySegment.NULL,
                    Native.SOCK_NONBLOCK | Native.SOCK_CLOEXEC);
            if (conn >= 0) {
                return conn;
            }
            int errno = Native.errno(state);
            if (errno == Native.EAGAIN || errno == Native.EINTR || errno == Native.ECONNABORTED) {
                return -1;
            }
            throw new PosixException("accept4", errno, Native.describe(errno));
        } catch (Throwable e) {
            throw Native.unexpected(e);
        }
    }

    /** Closes this process's copy of the socket; other processes' copies stay open. Idempotent. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            FileDescriptors.close(fd);
        }
    }
}
