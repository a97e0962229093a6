package dev.berth.control;

import dev.berth.posix.Packet;
import dev.berth.posix.SeqpacketSocket;
import java.nio.file.Path;
import java.util.Optional;

/**
 * One end of a link between two berth processes, the master's with a child or a dispatcher's with
 * a worker: {@link ControlMessage}s as packets, with file descriptors attached where the message
 * needs them. The dispatch link's Handoff, Ack, Credit and Revoke travel as binary frames
 * ({@link LinkFrames}), everything else as JSON.
 *
 * <p>Threads: sends are serialised (any thread may send); one receiver at a time; both block.
 * {@link #shutdown} from any thread; {@link #close} only by the thread that owns the link, once no
 * other thread uses it. Owns the socket.
 */
public final class ControlChannel implements AutoCloseable {

    private static final JsonPackets CODEC = new JsonPackets();

    private final SeqpacketSocket socket;

    /** Wraps a connected socket; the channel now owns it. */
    public ControlChannel(SeqpacketSocket socket) {
        this.socket = socket;
    }

    /**
     * Connects to a listening control or dispatch socket.
     *
     * @throws dev.berth.posix.PosixException when nobody listens there (ENOENT, ECONNREFUSED)
     */
    public static ControlChannel connect(Path path) {
        return new ControlChannel(SeqpacketSocket.connect(path));
    }

    /**
     * Sends a message with descriptors; the caller keeps (and later closes) its copies. A message
     * is delivered whole or not at all.
     *
     * @throws dev.berth.posix.PosixException when the peer is gone or this end was shut down (EPIPE)
     */
    public synchronized void send(ControlMessage message, int... fds) {
        socket.send(encode(message), fds);
    }

    /**
     * Waits for the next message.
     *
     * @return the message with its descriptors (owned by the caller), or empty at end of stream
     * @throws ControlException when the peer sent something that is not a control message; any
     *     descriptors that came with it are closed
     * @throws dev.berth.posix.PosixException on a failure of the socket
     */
    public Optional<Received> receive() {
        return decode(socket.receive());
    }

    /**
     * Waits for the next message of at most {@code maxBytes}, for reading from a peer that must not
     * make this process hold more (see {@link SeqpacketSocket#receive(int)}).
     *
     * @return the message with its descriptors (owned by the caller), or empty at end of stream
     * @throws ControlException when the peer sent something that is not a control message
     * @throws dev.berth.posix.PosixException when it is longer, or the socket failed
     */
    public Optional<Received> receive(int maxBytes) {
        return decode(socket.receive(maxBytes));
    }

    /**
     * The next message if one is waiting, without blocking: for a thread that waits for the
     * socket's readability itself (epoll) and reads every message that arrived.
     *
     * @param maxBytes the longest message accepted; under 16 KiB, so that this reads one packet
     * @return the message with its descriptors (owned by the caller); empty when nothing is waiting
     *     or at the end of the stream, which {@link #ended} then tells
     * @throws ControlException when the peer sent something that is not a control message; any
     *     descriptors that came with it are closed
     * @throws dev.berth.posix.PosixException when it is longer, or the socket failed
     */
    public Optional<Received> receiveNow(int maxBytes) {
        return decode(socket.receiveNow(maxBytes));
    }

    /** Whether a receive saw the end of the stream: the peer closed or shut its end, or this end was shut down. */
    public boolean ended() {
        return socket.ended();
    }

    /** The socket's descriptor, for an epoll set; still owned by this channel. */
    public int fd() {
        return socket.fd();
    }

    /**
     * Encodes and decodes one message of each kind a child receives, so that the first real one
     * does not pay for the codec's introspection of the message records (tens of milliseconds).
     */
    public static void warmUp() {
        ControlMessage[] samples = {
            new ControlMessage.Assignment("berth.yaml", "pools: {}", "pool", 1, 1,
                    java.util.List.of(new ControlMessage.Listener("service", "127.0.0.1:1")), "",
                    java.util.List.of(new ControlMessage.Lane("pool", "dispatch.sock"))),
            new ControlMessage.Drain(1), new ControlMessage.Ready()};
        for (ControlMessage sample : samples) {
            CODEC.decode(new Packet(CODEC.encode(sample), new int[0]));
        }
    }

    private static Optional<Received> decode(Optional<Packet> packet) {
        return packet.map(p -> new Received(decode(p), p.fds()));
    }

    /** A message's payload: a frame for the dispatch link's hot path, JSON for everything else. */
    static byte[] encode(ControlMessage message) {
        return LinkFrames.carries(message) ? LinkFrames.encode(message) : CODEC.encode(message);
    }

    /**
     * A packet's message, frame or JSON.
     *
     * @throws ControlException when it is neither; the packet's descriptors are closed then
     */
    static ControlMessage decode(Packet packet) {
        if (!LinkFrames.isFrame(packet.payload())) {
            return CODEC.decode(packet);
        }
        try {
            return LinkFrames.decode(packet.payload());
        } catch (ControlException e) {
            dev.berth.posix.FileDescriptors.closeAll(packet.fds());
            throw e;
        }
    }

    /**
     * A child's last word before it exits on {@code failure}: tells the master why (a {@link
     * ControlMessage.Failed} with the failure's message on one line). Best effort: a send that
     * fails is ignored, as the master learns of the exit anyway.
     */
    public void fail(Throwable failure) {
        String reason = String.valueOf(failure.getMessage() == null ? failure : failure.getMessage())
                .replaceAll("\\s*\\R\\s*", "; ");
        try {
            send(new ControlMessage.Failed(reason.length() > 1000 ? reason.substring(0, 1000) + "..." : reason));
        } catch (RuntimeException gone) {
            // the master is gone or not reading; the exit status still tells it
        }
    }

    /** The pid of the process at the other end (SO_PEERCRED). */
    public long peerPid() {
        return socket.peerPid();
    }

    /**
     * Ends the link in both directions without closing the descriptor: a blocked receive wakes and
     * sees the end, later sends fail, the peer sees the end after what was already sent.
     */
    public void shutdown() {
        socket.shutdown();
    }

    /** Shuts the link down and closes it. Idempotent. */
    @Override
    public void close() {
        socket.close();
    }

    /**
     * A message and the descriptors that came with it.
     *
     * @param message the message
     * @param fds descriptors in the order sent, owned by the receiver
     */
    public record Received(ControlMessage message, int[] fds) {
    }
}
