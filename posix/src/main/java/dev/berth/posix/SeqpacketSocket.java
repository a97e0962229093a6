package dev.berth.posix;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Optional;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * A connected {@code AF_UNIX SOCK_SEQPACKET} socket: reliable, ordered messages with boundaries,
 * each able to carry up to {@value #MAX_FDS} file descriptors (SCM_RIGHTS).
 *
 * <pre>
 * msghdr (56): name 0 | namelen 8 | iov 16 | iovlen 24 | control 32 | controllen 40 | flags 48
 * cmsghdr    : len u64 0 | level i32 8 | type i32 12 | data 16 (int fds[])
 * </pre>
 *
 * <p>Threads: one thread may {@link #send} while another {@link #receive}s; two senders or two
 * receivers at once must synchronise themselves. Both calls block. The instance owns its fd.
 */
public final class SeqpacketSocket implements AutoCloseable {

    /** The kernel's limit of descriptors in one message (SCM_MAX_FD). */
    public static final int MAX_FDS = 253;
    /** The largest message this class sends or receives; both buffers are sized for it. */
    public static final int MAX_PAYLOAD = 1 << 20;

    private static final int CONTROL_SPACE = 16 + ((MAX_FDS * 4 + 7) & ~7);

    private final int fd;
    private final MemorySegment receiveBuffer;
    private volatile boolean closed;

    SeqpacketSocket(int fd) {
        this.fd = fd;
        // freed by the GC, never while a receive may still be writing into it
        this.receiveBuffer = Arena.ofAuto().allocate(MAX_PAYLOAD, 8);
    }

    /**
     * Connects to a listening socket at {@code path}.
     *
     * @throws PosixException when nobody listens there (ENOENT, ECONNREFUSED) or access is denied
     */
    public static SeqpacketSocket connect(Path path) {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment state = Native.callState(call);
            int fd = (int) Native.SOCKET.invokeExact(state, Native.AF_UNIX, Native.SOCK_SEQPACKET | Native.SOCK_CLOEXEC, 0);
            if (fd < 0) {
                throw Native.failure("socket(AF_UNIX)", state);
            }
            MemorySegment sa = SocketAddresses.unix(call, path);
            if ((int) Native.CONNECT.invokeExact(state, fd, sa, (int) sa.byteSize()) < 0) {
                PosixException failure = Native.failure("connect(" + path + ")", state);
                FileDescriptors.close(fd);
                throw failure;
            }
            SeqpacketSocket socket = new SeqpacketSocket(fd);
            socket.setBuffers();
            return socket;
        } catch (Throwable e) {
            throw Native.unexpected(e);
        }
    }

    void setBuffers() {
        SocketOptions.setInt(fd, Native.SOL_SOCKET, Native.SO_SNDBUF, 2 * MAX_PAYLOAD, "SO_SNDBUF");
        SocketOptions.setInt(fd, Native.SOL_SOCKET, Native.SO_RCVBUF, 2 * MAX_PAYLOAD, "SO_RCVBUF");
    }

    /** The descriptor; still owned by this socket. */
    public int fd() {
        return fd;
    }

    /**
     * Sends one message with descriptors. The descriptors stay open in this process: the caller
     * closes its copies once this returns.
     *
     * @param payload 1 to {@value #MAX_PAYLOAD} bytes
     * @param fds 0 to {@value #MAX_FDS} descriptors
     * @throws PosixException when the peer has gone (EPIPE, ECONNRESET) or the message is too big
     */
    public void send(byte[] payload, int... fds) {
        if (payload.length == 0 || payload.length > MAX_PAYLOAD) {
            throw new IllegalArgumentException("payload must be 1.." + MAX_PAYLOAD + " bytes: " + payload.length);
        }
        if (fds.length > MAX_FDS) {
            throw new IllegalArgumentException("at most " + MAX_FDS + " fds per message: " + fds.length);
        }
        try (Arena call = Arena.ofConfined()) {
            MemorySegment state = Native.callState(call);
            MemorySegment data = call.allocateFrom(JAVA_BYTE, payload);
            MemorySegment msg = message(call, data, payload.length, fds.length == 0 ? 0 : 16 + 4 * fds.length);
            if (fds.length > 0) {
                MemorySegment control = msg.get(ADDRESS, 32).reinterpret(CONTROL_SPACE);
                control.set(JAVA_LONG, 0, 16L + 4L * fds.length);
                control.set(JAVA_INT, 8, Native.SOL_SOCKET);
                control.set(JAVA_INT, 12, Native.SCM_RIGHTS);
                MemorySegment.copy(fds, 0, control, JAVA_INT, 16, fds.length);
            }
            long sent;
            do {
                sent = (long) Native.SENDMSG.invokeExact(state, fd, msg, Native.MSG_NOSIGNAL);
            } while (sent < 0 && Native.errno(state) == Native.EINTR);
            if (sent < 0) {
                throw Native.failure("sendmsg", state);
            }
        } catch (Throwable e) {
            throw Native.unexpected(e);
        }
    }

    /**
     * Waits for the next message.
     *
     * <p>When the peer closes its end while messages of ours sit unread in its queue, Linux reports
     * ECONNRESET once, ahead of the messages the peer sent before it closed; those are still queued,
     * so this method reads on and returns them, then the end.
     *
     * @return the message, or empty when the peer closed its end (or a receive timeout expired)
     * @throws PosixException on a failure of the socket, or when a message was cut short
     */
    public Optional<Packet> receive() {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment state = Native.callState(call);
            MemorySegment msg = message(call, receiveBuffer, MAX_PAYLOAD, CONTROL_SPACE);
            long n;
            do {
                n = (long) Native.RECVMSG.invokeExact(state, fd, msg, Native.MSG_CMSG_CLOEXEC);
            } while (n < 0 && (Native.errno(state) == Native.EINTR || Native.errno(state) == Native.ECONNRESET));
            if (n < 0 && Native.errno(state) == Native.EAGAIN) {
                return Optional.empty();
            }
            if (n < 0) {
                throw Native.failure("recvmsg", state);
            }
            int[] fds = descriptors(msg.get(ADDRESS, 32).reinterpret(CONTROL_SPACE), msg.get(JAVA_LONG, 40));
            if ((msg.get(JAVA_INT, 48) & (Native.MSG_TRUNC | Native.MSG_CTRUNC)) != 0) {
                FileDescriptors.closeAll(fds);
                throw new PosixException("recvmsg: message truncated", 90, "Message too long");
            }
            if (n == 0) {
                return Optional.empty();
            }
            return Optional.of(new Packet(receiveBuffer.asSlice(0, n).toArray(JAVA_BYTE), fds));
        } catch (Throwable e) {
            throw Native.unexpected(e);
        }
    }

    private static int[] descriptors(MemorySegment control, long controlLength) {
        if (controlLength < 16) {
            return new int[0];
        }
        long length = control.get(JAVA_LONG, 0);
        if (control.get(JAVA_INT, 8) != Native.SOL_SOCKET || control.get(JAVA_INT, 12) != Native.SCM_RIGHTS) {
            return new int[0];
        }
        int count = (int) ((length - 16) / 4);
        int[] fds = new int[count];
        MemorySegment.copy(control, JAVA_INT, 16, fds, 0, count);
        return fds;
    }

    private static MemorySegment message(Arena call, MemorySegment data, long dataLength, int controlLength) {
        MemorySegment iov = call.allocate(16, 8);
        iov.set(ADDRESS, 0, data);
        iov.set(JAVA_LONG, 8, dataLength);
        MemorySegment msg = call.allocate(56, 8);
        msg.set(ADDRESS, 16, iov);
        msg.set(JAVA_LONG, 24, 1L);
        if (controlLength > 0) {
            msg.set(ADDRESS, 32, call.allocate(CONTROL_SPACE, 8));
            msg.set(JAVA_LONG, 40, (controlLength + 7) & ~7L);
        }
        return msg;
    }

    /** The process id of the peer, as the kernel recorded it at connect (SO_PEERCRED). */
    public long peerPid() {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment state = Native.callState(call);
            MemorySegment cred = call.allocate(12, 4);
            MemorySegment len = call.allocate(JAVA_INT);
            len.set(JAVA_INT, 0, 12);
            if ((int) Native.GETSOCKOPT.invokeExact(state, fd, Native.SOL_SOCKET, Native.SO_PEERCRED, cred, len) < 0) {
                throw Native.failure("getsockopt(SO_PEERCRED)", state);
            }
            return cred.get(JAVA_INT, 0);
        } catch (Throwable e) {
            throw Native.unexpected(e);
        }
    }

    /**
     * Shuts the connection down in both directions without closing the descriptor: a thread blocked
     * in {@link #receive} wakes and sees the end, later sends fail (EPIPE), and the peer sees the
     * end after the messages already sent. Callable from any thread while the owning thread still
     * uses the socket, which then closes it: closing under another thread's feet could let the
     * descriptor number be reused by an unrelated open. Failures are ignored.
     */
    public void shutdown() {
        if (!closed) {
            FileDescriptors.shutdown(fd);
        }
    }

    /**
     * Shuts the connection down in both directions, which wakes a thread blocked in
     * {@link #receive} (it sees the end), then closes the descriptor. Idempotent.
     */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            FileDescriptors.shutdown(fd);
            FileDescriptors.close(fd);
        }
    }
}
