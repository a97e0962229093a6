package dev.berth.posix;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Finds who owns one TCP socket of this network namespace with an exact NETLINK_SOCK_DIAG lookup:
 * one request for one 4-tuple, one reply (no dump, no /proc scan), a few microseconds.
 *
 * <p>Not thread-safe: each thread that looks up owns an instance (it holds one netlink socket and
 * its buffers). A lookup blocks for the kernel's answer, at most the timeout given at open.
 * {@link #close} releases the socket.
 */
public final class SockDiag implements AutoCloseable {

    private final NetlinkSocket socket;

    private SockDiag(NetlinkSocket socket) {
        this.socket = socket;
    }

    /**
     * Opens the netlink socket.
     *
     * @param timeout the longest a lookup waits for the kernel
     * @throws PosixException when the socket cannot be made
     */
    public static SockDiag open(Duration timeout) {
        return new SockDiag(NetlinkSocket.open(Native.NETLINK_SOCK_DIAG, timeout));
    }

    /**
     * The owner of the TCP socket whose own address is {@code local} and whose peer is
     * {@code remote}. For the process at the other end of an accepted connection, pass the
     * accepted socket's peer as {@code local} and its own address as {@code remote}.
     *
     * @return the owner, or empty when there is no such socket or no process holds it (TIME_WAIT)
     * @throws PosixException when the kernel refuses the lookup or does not answer in time
     */
    public Optional<SocketOwner> owner(InetSocketAddress local, InetSocketAddress remote) {
        int seq = socket.nextSeq();
        List<NetlinkMessages.Message> replies = socket.exchange(InetDiagCodec.request(local, remote, seq), seq);
        return InetDiagCodec.owner(replies.getLast());
    }

    @Override
    public void close() {
        socket.close();
    }
}
