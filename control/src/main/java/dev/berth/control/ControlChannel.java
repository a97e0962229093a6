package dev.berth.control;

import dev.berth.posix.FileDescriptors;
import dev.berth.posix.Packet;
import dev.berth.posix.SeqpacketSocket;
import java.nio.file.Path;
import java.util.Optional;

/**
 * One end of a master-worker control connection: {@link ControlMessage}s as JSON packets, with
 * file descriptors attached where the message needs them.
 *
 * <p>Threads: one sender and one receiver at a time (see {@link SeqpacketSocket}); both block.
 * Owns the socket.
 */
public final class ControlChannel implements AutoCloseable {

    private static final JsonPackets<ControlMessage> CODEC = new JsonPackets<>(ControlMessage.class);

    private final SeqpacketSocket socket;

    /** Wraps a connected socket; the channel now owns it. */
    public ControlChannel(SeqpacketSocket socket) {
        this.socket = socket;
    }

    /** Connects to the master's control socket. */
    public static ControlChannel connect(Path path) {
        return new ControlChannel(SeqpacketSocket.connect(path));
    }

    /**
     * Sends a message with descriptors; the caller keeps (and later closes) its copies.
     *
     * @throws dev.berth.posix.PosixException when the peer is gone
     */
    public synchronized void send(ControlMessage message, int... fds) {
        socket.send(CODEC.encode(message), fds);
    }

    /**
     * Waits for the next message.
     *
     * @return the message with its descriptors (owned by the caller), or empty at end of stream
     * @throws ControlException when the peer sent something that is not a control message; any
     *     descriptors that came with it are closed
     */
    public Optional<Received> receive() {
        Optional<Packet> packet = socket.receive();
        if (packet.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Received(CODEC.decode(packet.get()), packet.get().fds()));
    }

    /**
     * A child's opening: says Hello for its slot and token, and waits for the master's assignment.
     * Called once, on the child's main thread; blocks until the master answers.
     *
     * @return the assignment with its descriptors, owned by the caller
     * @throws ControlException when the master closes the socket first or answers something else
     *     (descriptors that came with it are closed)
     */
    public Assigned hello(int slot, long token) {
        send(new ControlMessage.Hello(slot, token));
        Received received = receive()
                .orElseThrow(() -> new ControlException("master closed the control socket before assigning work"));
        if (!(received.message() instanceof ControlMessage.Assignment assignment)) {
            FileDescriptors.closeAll(received.fds());
            throw new ControlException("expected an assignment, got " + received.message());
        }
        return new Assigned(assignment, received.fds());
    }

    /**
     * What the master assigned a child.
     *
     * @param assignment the assignment
     * @param fds the descriptors in the order the assignment lists them, owned by the child
     */
    public record Assigned(ControlMessage.Assignment assignment, int[] fds) {
    }

    /** The pid of the process at the other end (SO_PEERCRED). */
    public long peerPid() {
        return socket.peerPid();
    }

    /** Shuts the connection down (waking a blocked receiver) and closes it. Idempotent. */
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
