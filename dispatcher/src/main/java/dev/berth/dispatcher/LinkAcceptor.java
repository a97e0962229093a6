package dev.berth.dispatcher;

import dev.berth.control.ControlChannel;
import dev.berth.control.ControlMessage;
import dev.berth.posix.FileDescriptors;
import dev.berth.posix.SeqpacketServer;
import dev.berth.scoreboard.Scoreboard;
import dev.berth.scoreboard.WorkerSlot;
import java.util.Optional;

/**
 * One lane's dispatch socket, for the {@link DispatchAgent}'s loop: it accepts a worker's link when
 * the socket is readable ({@link #accept}) and checks the link's first message ({@link #hello})
 * against the scoreboard: the slot's token, SO_PEERCRED pid equal to the slot's pid, and a worker of
 * this lane. Owned by the dispatch thread; the links it accepts belong to the caller.
 */
final class LinkAcceptor {

    private final SeqpacketServer server;
    private final String lane;
    private final Scoreboard scoreboard;

    /**
     * @param server the lane's dispatch socket (the master holds it too)
     * @param lane the pool instance whose workers link there; a worker of another is refused
     */
    LinkAcceptor(SeqpacketServer server, String lane, Scoreboard scoreboard) {
        this.server = server;
        this.lane = lane;
        this.scoreboard = scoreboard;
    }

    /** The socket's descriptor, for the epoll set. */
    int fd() {
        return server.fd();
    }

    String lane() {
        return lane;
    }

    /** A worker's new link, if one is waiting; the caller owns it. */
    Optional<ControlChannel> accept() {
        return server.accept().map(ControlChannel::new);
    }

    /**
     * Judges a link's first message.
     *
     * @return the worker's slot when the message is a Hello from who it says it is; empty otherwise
     *     (the caller refuses the link)
     */
    Optional<WorkerSlot> hello(ControlChannel.Received first, long peerPid) {
        FileDescriptors.closeAll(first.fds());
        if (!(first.message() instanceof ControlMessage.Hello hello)
                || hello.slot() < 0 || hello.slot() >= scoreboard.capacity() || hello.token() == 0) {
            return Optional.empty();
        }
        WorkerSlot worker = scoreboard.slot(hello.slot());
        boolean genuine = worker.token() == hello.token() && worker.pid() == peerPid
                && worker.group() == WorkerSlot.groupOf("WORKER", lane);
        return genuine ? Optional.of(worker) : Optional.empty();
    }
}
