package dev.berth.posix;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * A connected {@code AF_UNIX SOCK_SEQPACKET} socket carrying messages of up to {@value
 * #MAX_MESSAGE} bytes, each able to carry up to {@value #MAX_FDS} file descriptors (SCM_RIGHTS).
 *
 * <p>A message travels as one or more packets, so that its size is bounded neither by the
 * kernel's per-packet limit (the socket's send buffer, capped by {@code net.core.wmem_max}) nor
 * by a receive buffer: a receiver holds one packet's worth of memory per thread, and a message
 * only while it is being received.
 *
 * <pre>
 * packet : more u8 | data (1..{@value #PACKET_DATA} bytes)
 *          more = 1: further packets of this message follow; 0: this packet ends it
 *          the descriptors, if any, travel with the first packet of a message
 * msghdr (56): name 0 | namelen 8 | iov 16 | iovlen 24 | control 32 | controllen 40 | flags 48
 * cmsghdr    : len u64 0 | level i32 8 | type i32 12 | data 16 (int fds[])
 * </pre>
 *
 * <p>Threads: one thread may {@link #send} while another {@link #receive}s; two senders or two
 * receivers at once must synchronise themselves (a message's packets must not interleave). Both
 * calls block; a send of a message longer than one packet blocks until the receiver has taken all
 * but the last few packets. The instance owns its fd.
 */
public final class SeqpacketSocket implements AutoCloseable {

    /** The kernel's limit of descriptors in one message (SCM_MAX_FD). */
    public static final int MAX_FDS = 253;
    /** The largest message this class sends or receives. */
    public static final int MAX_MESSAGE = 64 << 20;
    /** Message bytes per packet: small enough for any send buffer the kernel allows. */
    static final int PACKET_DATA = 16 * 1024;

    private static final int PACKET_SPACE = 1 + PACKET_DATA;
    private static final int BUFFER_BYTES = 2 << 20;
    private static final byte MORE = 1;
    private static final byte LAST = 0;
    private static final int CONTROL_SPACE = 16 + ((MAX_FDS * 4 + 7) & ~7);
    /** One packet's room per receiving thread, reused by every socket that thread reads. */
    private static final ThreadLocal<MemorySegment> RECEIVE_BUFFER =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(PACKET_SPACE, 8));

    private final int fd;
    private volatile boolean closed;
    private volatile boolean ended;

    SeqpacketSocket(int fd) {
        this.fd = fd;
    }

    /**
     * Connects to a listening socket at {@code path}.
     *
     * @throws PosixException when nobody listens there (ENOENT, ECONNREFUSED) or access is denied
     */
    public static SeqpacketSocket connect(Path path) {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment state = Native.callState(call);
            int fd = (int) Native.Socket.HANDLE.invokeExact(state, Native.AF_UNIX, Native.SOCK_SEQPACKET | Native.SOCK_CLOEXEC, 0);
            if (fd < 0) {
                throw Native.failure("socket(AF_UNIX)", state);
            }
            MemorySegment sa = SocketAddresses.unix(call, path);
            if ((int) Native.Connect.HANDLE.invokeExact(state, fd, sa, (int) sa.byteSize()) < 0) {
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
        SocketOptions.setInt(fd, Native.SOL_SOCKET, Native.SO_SNDBUF, BUFFER_BYTES, "SO_SNDBUF");
        SocketOptions.setInt(fd, Native.SOL_SOCKET, Native.SO_RCVBUF, BUFFER_BYTES, "SO_RCVBUF");
    }

    /**
     * Bounds how long one {@link #send} may block on a receiver that does not read (SO_SNDTIMEO);
     * past it, the send fails (EAGAIN) and the connection, perhaps left inside a message, must be
     * closed. By default a send waits as long as it takes.
     */
    public void sendTimeout(Duration timeout) {
        SocketOptions.timeout(fd, Native.SO_SNDTIMEO, timeout);
    }

    /** The descriptor; still owned by this socket. */
    public int fd() {
        return fd;
    }

    /**
     * Sends one message with descriptors. The descriptors stay open in this process: the caller
     * closes its copies once this returns.
     *
     * @param payload 1 to {@value #MAX_MESSAGE} bytes
     * @param fds 0 to {@value #MAX_FDS} descriptors
     * @throws PosixException when the peer has gone (EPIPE, ECONNRESET) or a send timeout expired
     *     (EAGAIN); the message may then have been sent in part, so the connection must be closed
     */
    public void send(byte[] payload, int... fds) {
        if (payload.length == 0 || payload.length > MAX_MESSAGE) {
            throw new IllegalArgumentException("payload must be 1.." + MAX_MESSAGE + " bytes: " + payload.length);
        }
        if (fds.length > MAX_FDS) {
            throw new IllegalArgumentException("at most " + MAX_FDS + " fds per message: " + fds.length);
        }
        try (Arena call = Arena.ofConfined()) {
            MemorySegment state = Native.callState(call);
            MemorySegment data = call.allocate(1 + Math.min(PACKET_DATA, payload.length), 8);
            for (int offset = 0; offset < payload.length; offset += PACKET_DATA) {
                int length = Math.min(PACKET_DATA, payload.length - offset);
                boolean first = offset == 0;
                data.set(JAVA_BYTE, 0, offset + length < payload.length ? MORE : LAST);
                MemorySegment.copy(payload, offset, data, JAVA_BYTE, 1, length);
                sendPacket(call, state, data, 1 + length, first ? fds : new int[0]);
            }
        } catch (Throwable e) {
            throw Native.unexpected(e);
        }
    }

    private void sendPacket(Arena call, MemorySegment state, MemorySegment data, int length, int[] fds)
            throws Throwable {
        MemorySegment msg = message(call, data, length, fds.length == 0 ? 0 : 16 + 4 * fds.length);
        if (fds.length > 0) {
            MemorySegment control = msg.get(ADDRESS, 32).reinterpret(CONTROL_SPACE);
            control.set(JAVA_LONG, 0, 16L + 4L * fds.length);
            control.set(JAVA_INT, 8, Native.SOL_SOCKET);
            control.set(JAVA_INT, 12, Native.SCM_RIGHTS);
            MemorySegment.copy(fds, 0, control, JAVA_INT, 16, fds.length);
        }
        long sent;
        do {
            sent = (long) Native.Sendmsg.HANDLE.invokeExact(state, fd, msg, Native.MSG_NOSIGNAL);
        } while (sent < 0 && Native.errno(state) == Native.EINTR);
        if (sent < 0) {
            throw Native.failure("sendmsg", state);
        }
    }

    /**
     * Waits for the next message, of up to {@value #MAX_MESSAGE} bytes.
     *
     * @see #receive(int)
     */
    public Optional<Packet> receive() {
        return receive(MAX_MESSAGE);
    }

    /**
     * Waits for the next message.
     *
     * <p>When the peer closes its end while messages of ours sit unread in its queue, Linux reports
     * ECONNRESET once, ahead of the messages the peer sent before it closed; those are still queued,
     * so this method reads on and returns them, then the end.
     *
     * @param maxBytes the longest message accepted; a longer one fails before more than one packet
     *     past the limit is read. With {@code maxBytes} under {@value #PACKET_DATA}, this returns or
     *     fails after one packet and so never waits once the socket was readable.
     * @return the message, or empty when the peer closed its end (or a receive timeout expired)
     *     before a message began
     * @throws PosixException on a failure of the socket, or when a message was cut short, is
     *     malformed or longer than {@code maxBytes}; the connection is then unusable. Descriptors
     *     that came with it are closed.
     */
    public Optional<Packet> receive(int maxBytes) {
        return receive(maxBytes, Native.MSG_CMSG_CLOEXEC);
    }

    /**
     * The next message if one is waiting, without blocking (MSG_DONTWAIT): for a thread that waits
     * for readability itself (epoll) and then reads what arrived.
     *
     * @param maxBytes the longest message accepted; under {@value #PACKET_DATA}, so that one packet
     *     is read and the call never waits
     * @return the message, or empty when none is waiting or at the end of the stream, which
     *     {@link #ended} then tells
     * @throws PosixException as {@link #receive(int)}
     */
    public Optional<Packet> receiveNow(int maxBytes) {
        if (maxBytes >= PACKET_DATA) {
            throw new IllegalArgumentException("a receive that does not wait reads one packet: maxBytes < "
                    + PACKET_DATA + ", got " + maxBytes);
        }
        return receive(maxBytes, Native.MSG_CMSG_CLOEXEC | Native.MSG_DONTWAIT);
    }

    /** Whether a receive saw the end of the stream (the peer's close or shutdown, or this end's). */
    public boolean ended() {
        return ended;
    }

    private Optional<Packet> receive(int maxBytes, int flags) {
        MemorySegment buffer = RECEIVE_BUFFER.get();
        int[] fds = new int[0];
        try (Arena call = Arena.ofConfined()) {
            MemorySegment state = Native.callState(call);
            MemorySegment msg = message(call, buffer, PACKET_SPACE, CONTROL_SPACE);
            long n = receivePacket(state, msg, flags);
            if (n <= 0) {
                ended |= n == 0;
                return Optional.empty();
            }
            fds = descriptors(msg.get(ADDRESS, 32).reinterpret(CONTROL_SPACE), msg.get(JAVA_LONG, 40));
            checkPacket(msg, buffer, n, maxBytes, 0);
            if (buffer.get(JAVA_BYTE, 0) == LAST) {
                return Optional.of(new Packet(buffer.asSlice(1, n - 1).toArray(JAVA_BYTE), fds));
            }
            ByteArrayOutputStream message = new ByteArrayOutputStream();
            message.writeBytes(buffer.asSlice(1, n - 1).toArray(JAVA_BYTE));
            do {
                msg = message(call, buffer, PACKET_SPACE, CONTROL_SPACE);
                n = receivePacket(state, msg, Native.MSG_CMSG_CLOEXEC);
                if (n <= 0) {
                    throw malformed("the message ended early after " + message.size() + " bytes");
                }
                FileDescriptors.closeAll(descriptors(msg.get(ADDRESS, 32).reinterpret(CONTROL_SPACE),
                        msg.get(JAVA_LONG, 40)));
                checkPacket(msg, buffer, n, maxBytes, message.size());
                message.writeBytes(buffer.asSlice(1, n - 1).toArray(JAVA_BYTE));
            } while (buffer.get(JAVA_BYTE, 0) == MORE);
            return Optional.of(new Packet(message.toByteArray(), fds));
        } catch (Throwable e) {
            FileDescriptors.closeAll(fds);
            throw Native.unexpected(e);
        }
    }

    /**
     * One recvmsg: its length, 0 at the end of the stream, -1 when a receive timeout expired or
     * (MSG_DONTWAIT) nothing is waiting.
     */
    private long receivePacket(MemorySegment state, MemorySegment msg, int flags) throws Throwable {
        long n;
        do {
            n = (long) Native.Recvmsg.HANDLE.invokeExact(state, fd, msg, flags);
        } while (n < 0 && (Native.errno(state) == Native.EINTR || Native.errno(state) == Native.ECONNRESET));
        if (n < 0 && Native.errno(state) == Native.EAGAIN) {
            return -1;
        }
        if (n < 0) {
            throw Native.failure("recvmsg", state);
        }
        return n;
    }

    private static void checkPacket(MemorySegment msg, MemorySegment buffer, long n, int maxBytes, int before) {
        if ((msg.get(JAVA_INT, 48) & (Native.MSG_TRUNC | Native.MSG_CTRUNC)) != 0) {
            throw malformed("packet truncated");
        }
        byte more = buffer.get(JAVA_BYTE, 0);
        if (n < 2 || (more != MORE && more != LAST)) {
            throw malformed("not a packet of a message");
        }
        if (before + n - 1 > maxBytes) {
            throw malformed("message longer than " + maxBytes + " bytes");
        }
    }

    private static PosixException malformed(String why) {
        return new PosixException("recvmsg: " + why, 90, "Message too long or malformed");
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
        return peer().pid();
    }

    /** Who the peer was at connect, as the kernel recorded it (SO_PEERCRED); cannot be forged. */
    public PeerCredentials peer() {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment state = Native.callState(call);
            MemorySegment cred = call.allocate(12, 4);
            MemorySegment len = call.allocate(JAVA_INT);
            len.set(JAVA_INT, 0, 12);
            if ((int) Native.Getsockopt.HANDLE.invokeExact(state, fd, Native.SOL_SOCKET, Native.SO_PEERCRED, cred, len) < 0) {
                throw Native.failure("getsockopt(SO_PEERCRED)", state);
            }
            return new PeerCredentials(cred.get(JAVA_INT, 0), cred.get(JAVA_INT, 4), cred.get(JAVA_INT, 8));
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
