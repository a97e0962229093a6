package dev.berth.posix;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * A netlink socket to the kernel (AF_NETLINK, SOCK_RAW) with its send and receive buffers
 * allocated once, so that a request costs two system calls and no allocation of native memory.
 *
 * <p>Not thread-safe: one thread at a time sends a request and reads its reply. Every receive
 * waits at most the timeout given at open. Owns its descriptor and memory; {@link #close} frees
 * both.
 */
final class NetlinkSocket implements AutoCloseable {

    private static final int BUFFER = 32 * 1024;

    private final Arena arena = Arena.ofShared();
    private final MemorySegment state = Native.callState(arena);
    private final MemorySegment kernel = arena.allocate(12, 4);
    private final MemorySegment out = arena.allocate(BUFFER, 8);
    private final MemorySegment in = arena.allocate(BUFFER, 8);
    private final byte[] received = new byte[BUFFER];
    private final int fd;
    private int seq;
    private boolean closed;

    private NetlinkSocket(int fd) {
        this.fd = fd;
        kernel.set(JAVA_SHORT, 0, (short) Native.AF_NETLINK);
    }

    /**
     * Opens a socket of a netlink family.
     *
     * @param protocol NETLINK_ROUTE or NETLINK_SOCK_DIAG
     * @param timeout how long a receive waits for the kernel
     * @throws PosixException when the socket cannot be made
     */
    static NetlinkSocket open(int protocol, Duration timeout) {
        int fd;
        try (Arena call = Arena.ofConfined()) {
            MemorySegment st = Native.callState(call);
            fd = (int) Native.Socket.HANDLE.invokeExact(st, Native.AF_NETLINK, Native.SOCK_RAW | Native.SOCK_CLOEXEC, protocol);
            if (fd < 0) {
                throw Native.failure("socket(AF_NETLINK, " + protocol + ")", st);
            }
        } catch (Throwable e) {
            throw Native.unexpected(e);
        }
        NetlinkSocket socket = new NetlinkSocket(fd);
        try {
            SocketOptions.receiveTimeout(fd, timeout);
            return socket;
        } catch (RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** The next sequence number for a request. */
    int nextSeq() {
        return ++seq;
    }

    /**
     * Sends one request.
     *
     * @throws PosixException when the kernel refuses it
     */
    void send(byte[] request) {
        MemorySegment.copy(request, 0, out, JAVA_BYTE, 0, request.length);
        try {
            long n;
            do {
                n = (long) Native.Sendto.HANDLE.invokeExact(state, fd, out, (long) request.length, 0, kernel, 12);
            } while (n < 0 && Native.errno(state) == Native.EINTR);
            if (n < 0) {
                throw Native.failure("sendto(netlink)", state);
            }
        } catch (Throwable e) {
            throw Native.unexpected(e);
        }
    }

    /**
     * Receives one datagram and splits it into messages.
     *
     * @throws PosixException on a failure, or when the kernel does not answer within the timeout
     */
    List<NetlinkMessages.Message> receive() {
        try {
            long n;
            do {
                n = (long) Native.Recv.HANDLE.invokeExact(state, fd, in, (long) BUFFER, 0);
            } while (n < 0 && Native.errno(state) == Native.EINTR);
            if (n < 0) {
                throw Native.failure("recv(netlink)", state);
            }
            MemorySegment.copy(in, JAVA_BYTE, 0, received, 0, (int) n);
            return NetlinkMessages.split(received, (int) n);
        } catch (Throwable e) {
            throw Native.unexpected(e);
        }
    }

    /**
     * Sends a request and collects its replies (those with its sequence number) until an ack, an
     * error or the end of a dump.
     *
     * @return the replies, the final ack, error or done message last
     */
    List<NetlinkMessages.Message> exchange(byte[] request, int requestSeq) {
        send(request);
        List<NetlinkMessages.Message> replies = new ArrayList<>();
        while (true) {
            for (NetlinkMessages.Message m : receive()) {
                if (m.seq() != requestSeq) {
                    continue;
                }
                replies.add(m);
                if (m.type() == NetlinkMessages.NLMSG_ERROR || m.type() == NetlinkMessages.NLMSG_DONE
                        || (m.flags() & 0x2) == 0) {
                    return replies;
                }
            }
        }
    }

    /** Closes the descriptor and frees the buffers. Idempotent; no other thread may be using it. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            FileDescriptors.close(fd);
            arena.close();
        }
    }
}
