package dev.berth.dispatcher;

import dev.berth.control.ControlException;
import dev.berth.control.ControlChannel;
import dev.berth.control.ControlMessage;
import dev.berth.posix.FileDescriptors;
import dev.berth.posix.SeqpacketServer;
import dev.berth.scoreboard.Scoreboard;
import dev.berth.scoreboard.WorkerSlot;
import java.lang.System.Logger.Level;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Accepts workers' links on the dispatch socket (one platform thread, waking at the socket's
 * receive timeout to stamp its heartbeat and notice {@link #stop}) and reads each link on a
 * thread of its own, blocked in receive: Hello first, checked against the scoreboard (the slot's
 * token, and SO_PEERCRED pid equal to the slot's pid), then credits and acks, posted to the
 * {@link DispatchAgent} in the order read. The end of a link (EOF or a socket failure) is posted
 * last, so the agent has seen every ack before it puts anything back.
 *
 * <p>A link that fails the Hello is closed here; a verified one belongs to the agent, which closes
 * it after the end is posted.
 */
final class LinkAcceptor {

    private static final System.Logger LOG = System.getLogger(LinkAcceptor.class.getName());

    private final SeqpacketServer server;
    private final String lane;
    private final Scoreboard scoreboard;
    private final DispatchAgent agent;
    private final WorkerSlot slot;
    private final int beat;
    private final LongSupplier clock;
    private final Thread thread;
    private final AtomicInteger nextLink;
    private volatile boolean running = true;

    /**
     * One lane's dispatch socket and the numbers of its links.
     *
     * @param server the lane's dispatch socket
     * @param lane the pool instance whose workers link there; a worker of another is refused
     * @param beat this thread's heartbeat entry
     * @param links where link numbers come from, shared by every lane's acceptor so they never repeat
     */
    record Lane(SeqpacketServer server, String lane, int beat, AtomicInteger links) {
    }

    /**
     * @param clock monotonic milliseconds, the heartbeats' clock
     */
    LinkAcceptor(Lane lane, Scoreboard scoreboard, DispatchAgent agent, WorkerSlot slot, LongSupplier clock) {
        this.clock = clock;
        this.server = lane.server();
        this.lane = lane.lane();
        this.nextLink = lane.links();
        this.scoreboard = scoreboard;
        this.agent = agent;
        this.slot = slot;
        this.beat = lane.beat();
        this.thread = Thread.ofPlatform().name("dispatch-links-" + this.lane).unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    void stop() {
        running = false;
    }

    void join() throws InterruptedException {
        thread.join();
    }

    private void run() {
        while (running) {
            slot.beat(beat, clock.getAsLong());
            try {
                server.accept().map(ControlChannel::new).ifPresent(channel -> {
                    int link = nextLink.getAndIncrement();
                    Thread.ofPlatform().daemon().name("dispatch-link-" + link).start(() -> read(link, channel));
                });
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "accepting a worker link failed: " + e.getMessage());
            }
        }
    }

    private void read(int link, ControlChannel channel) {
        Optional<WorkerSlot> worker;
        try {
            worker = hello(channel);
        } catch (RuntimeException e) {
            worker = Optional.empty();
        }
        if (worker.isEmpty()) {
            LOG.log(Level.WARNING, "refusing a link from pid " + peer(channel) + ": not a worker of " + lane);
            channel.close();
            return;
        }
        LOG.log(Level.INFO, "worker pid " + worker.get().pid() + " of " + lane + " linked as " + link);
        agent.post(new DispatchEvent.Linked(link, channel, new SlotGauge(worker.get()), lane));
        try {
            boolean open = true;
            while (open) {
                open = readOne(link, channel);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "link " + link + " failed: " + e.getMessage());
        }
        agent.post(new DispatchEvent.Unlinked(link));
    }

    /** Reads the Hello and checks it; the worker's slot when it is who it says. */
    private Optional<WorkerSlot> hello(ControlChannel channel) {
        Optional<ControlChannel.Received> first = channel.receive();
        if (first.isEmpty()) {
            return Optional.empty();
        }
        FileDescriptors.closeAll(first.get().fds());
        if (!(first.get().message() instanceof ControlMessage.Hello hello)
                || hello.slot() < 0 || hello.slot() >= scoreboard.capacity() || hello.token() == 0) {
            return Optional.empty();
        }
        WorkerSlot worker = scoreboard.slot(hello.slot());
        boolean genuine = worker.token() == hello.token() && worker.pid() == channel.peerPid()
                && worker.group() == WorkerSlot.groupOf("WORKER", lane);
        return genuine ? Optional.of(worker) : Optional.empty();
    }

    /** Reads one message and posts what it says; false at the end of the link. */
    private boolean readOne(int link, ControlChannel channel) {
        Optional<ControlChannel.Received> received;
        try {
            received = channel.receive();
        } catch (ControlException e) {
            LOG.log(Level.WARNING, "link " + link + ": " + e.getMessage());
            return true;
        }
        if (received.isEmpty()) {
            return false;
        }
        FileDescriptors.closeAll(received.get().fds());
        switch (received.get().message()) {
            case ControlMessage.Credit c -> agent.post(new DispatchEvent.Credited(link, c.connections()));
            case ControlMessage.Ack a -> agent.post(new DispatchEvent.Acked(link, a.batch()));
            default -> LOG.log(Level.WARNING, "link " + link + ": ignoring " + received.get().message());
        }
        return true;
    }

    private static String peer(ControlChannel channel) {
        try {
            return Long.toString(channel.peerPid());
        } catch (RuntimeException e) {
            return "?";
        }
    }
}
