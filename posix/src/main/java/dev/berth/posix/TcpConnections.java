package dev.berth.posix;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.net.InetSocketAddress;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * Operations on a connected TCP socket held as a raw descriptor: its two addresses, a
 * non-blocking write of a short message, discarding what arrived, closing the sending side; and
 * the options of an outbound socket before it connects. Thread-safe; nothing blocks.
 */
public final class TcpConnections {

    private static final int MSG_DONTWAIT = 0x40;
    private static final int SHUT_WR = 1;
    private static final int DISCARD = 4096;

    private TcpConnections() {
    }

    /** The socket's own address ({@code getsockname}): for an accepted connection, where it was sent. */
    public static InetSocketAddress local(int fd) {
        return name(Native.Getsockname.HANDLE, fd, "getsockname");
    }

    /** The address of the other end ({@code getpeername}). */
    public static InetSocketAddress peer(int fd) {
        return name(Native.Getpeername.HANDLE, fd, "getpeername");
    }

    private static InetSocketAddress name(MethodHandle call, int fd, String what) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.callState(arena);
            MemorySegment sa = arena.allocate(SocketAddresses.STORAGE);
            MemorySegment len = arena.allocate(JAVA_INT);
            len.set(JAVA_INT, 0, SocketAddresses.STORAGE);
            if ((int) call.invokeExact(state, fd, sa, len) < 0) {
                throw Native.failure(what, state);
            }
            return SocketAddresses.decode(sa);
        } catch (Throwable e) {
            throw Native.unexpected(e);
        }
    }

    /**
     * Writes what fits into the socket's send buffer now, without waiting (a short goodbye on a
     * fresh connection always fits).
     *
     * @return the bytes written, or -1 when the connection is gone or nothing fits
     */
    public static int sendNow(int fd, byte[] bytes) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.callState(arena);
            MemorySegment data = arena.allocate(Math.max(1, bytes.length));
            MemorySegment.copy(bytes, 0, data, JAVA_BYTE, 0, bytes.length);
            long n = (long) Native.Send.HANDLE.invokeExact(state, fd, data, (long) bytes.length, MSG_DONTWAIT | Native.MSG_NOSIGNAL);
            return (int) Math.max(-1, n);
        } catch (Throwable e) {
            throw Native.unexpected(e);
        }
    }

    /**
     * Reads and throws away what has arrived, without waiting.
     *
     * @return the bytes discarded (0 when nothing was waiting), or -1 at the peer's end of stream
     *     or on an error
     */
    public static int discard(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.callState(arena);
            MemorySegment sink = arena.allocate(DISCARD);
            int total = 0;
            while (true) {
                long n = (long) Native.Recv.HANDLE.invokeExact(state, fd, sink, (long) DISCARD, MSG_DONTWAIT);
                if (n > 0) {
                    total += (int) n;
                    continue;
                }
                if (n == 0) {
                    return -1;
                }
                int errno = Native.errno(state);
                return errno == Native.EAGAIN || errno == Native.EINTR ? total : -1;
            }
        } catch (Throwable e) {
            throw Native.unexpected(e);
        }
    }

    /** Ends the sending side (FIN after what was written); failures are ignored. */
    public static void shutdownWrite(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            int ignored = (int) Native.Shutdown.HANDLE.invokeExact(Native.callState(arena), fd, SHUT_WR);
        } catch (Throwable e) {
            throw Native.unexpected(e);
        }
    }

    /**
     * IP_BIND_ADDRESS_NO_PORT on an outbound socket before it binds: binding the source address
     * then reserves no port, and connect picks one that is free for the 4-tuple, so a source
     * address is not limited to one connection per ephemeral port (Linux 4.2).
     *
     * @throws PosixException when the kernel refuses it
     */
    public static void bindAddressNoPort(int fd) {
        SocketOptions.setInt(fd, Native.IPPROTO_IP, Native.IP_BIND_ADDRESS_NO_PORT, 1, "IP_BIND_ADDRESS_NO_PORT");
    }

    /**
     * IP_LOCAL_PORT_RANGE on an outbound socket before it binds or connects: its ephemeral port is
     * chosen from {@code first..last} (Linux 6.3).
     *
     * @return false when this kernel does not know the option (ENOPROTOOPT); true when it is set
     * @throws PosixException on any other failure
     */
    public static boolean localPortRange(int fd, int first, int last) {
        try {
            SocketOptions.setInt(fd, Native.IPPROTO_IP, Native.IP_LOCAL_PORT_RANGE, (last << 16) | first,
                    "IP_LOCAL_PORT_RANGE");
            return true;
        } catch (PosixException e) {
            if (e.errno() == Native.ENOPROTOOPT) {
                return false;
            }
            throw e;
        }
    }
}
