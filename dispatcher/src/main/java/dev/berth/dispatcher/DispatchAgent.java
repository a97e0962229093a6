package dev.berth.dispatcher;

import dev.berth.control.ControlChannel;
import dev.berth.control.ControlException;
import dev.berth.control.ControlMessage;
import dev.berth.posix.Epoll;
import dev.berth.posix.FileDescriptors;
import dev.berth.posix.PosixException;
import dev.berth.posix.WakeFd;
import dev.berth.scoreboard.WorkerSlot;
import dev.berth.tenancy.PeerOwners;
import java.lang.System.Logger.Level;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The dispatcher's one thread (docs/adr/0035): a loop over its own epoll set of the listeners, the
 * lanes' dispatch sockets and the workers' links. It accepts connections and links, checks each
 * link's Hello, reads credits and acks, owns the {@link Lanes}' books and sends each batch the books
 * choose as one packet (several descriptors per {@code sendmsg}, never waiting for an ack). Nothing
 * crosses threads on the way of a connection.
 *
 * <p>It closes a connection's descriptor only once its worker acknowledged it. A link whose ack is
 * overdue (a stopped worker, or one that has not acked for seconds; see {@link DispatchBook}), whose send failed or that sent a bad frame is revoked: Revoke, then
 * shutdown; the loop reads on to the link's end, every ack the worker managed to send first, and
 * only then puts back what was not acked (docs/adr/0005).
 *
 * <p>Bounds: it holds at most {@code room} connections (queued plus in flight); at the limit the
 * listeners leave the epoll set and the kernel's backlog holds the rest. A worker is sent at most
 * the credit it granted, so a send never blocks for long. Each wake-up reads at most {@value
 * #READS} messages per link and accepts at most {@value #ACCEPTS} connections per listener (the set
 * is level-triggered: the rest wait for the next round).
 *
 * <p>It stamps its heartbeat at least every {@value #IDLE_POLL_MS} ms, and re-judges the workers
 * every {@value #WAITING_POLL_MS} ms while it holds connections (a stalled worker may recover, an
 * ack may become overdue). After {@link #drain} it stops accepting and stops once it holds nothing,
 * or at the drain deadline, closing what is left. Only {@link #start}, {@link #drain} and {@link
 * #join} are for other threads.
 */
final class DispatchAgent {

    private static final System.Logger LOG = System.getLogger(DispatchAgent.class.getName());
    static final long IDLE_POLL_MS = 100;
    static final long WAITING_POLL_MS = 10;
    static final int READS = 64;
    static final int ACCEPTS = 32;
    /** The longest message a worker may send on its link; a Hello is well under it. */
    static final int MESSAGE_BYTES = 4096;
    private static final int EVENTS = 64;

    private final Lanes book;
    private final Sources sources;
    private final WorkerSlot slot;
    private final LongSupplier clock;
    private final Runnable onFailure;
    private final Thread thread;
    private final WakeFd wake = WakeFd.create();
    private final Map<Integer, Object> registered = new HashMap<>();
    private final Map<Integer, Link> links = new HashMap<>();
    private int epfd = -1;
    private int nextLink = 1;
    private int held;
    private boolean accepting;
    private PeerOwners owners = PeerOwners.NONE;
    private volatile long drainMillis = -1;
    private long drainDeadline = Long.MAX_VALUE;

    /**
     * Where connections and links come from.
     *
     * @param listeners one acceptor per listener
     * @param lanes one per lane's dispatch socket
     * @param room connections held at most (queued plus in flight)
     * @param owners makes the lookup of loopback peers' owners, once, on the dispatch thread, if a
     *     listener's connections are classified
     */
    record Sources(List<ConnectionAcceptor> listeners, List<LinkAcceptor> lanes, int room,
                   Supplier<PeerOwners> owners) {

        /** Copies the lists. */
        Sources {
            listeners = List.copyOf(listeners);
            lanes = List.copyOf(lanes);
        }
    }

    /** A worker's link: unverified until its Hello is checked. */
    private static final class Link {
        final int id;
        final ControlChannel channel;
        final LinkAcceptor lane;
        boolean verified;

        Link(int id, ControlChannel channel, LinkAcceptor lane) {
            this.id = id;
            this.channel = channel;
            this.lane = lane;
        }
    }

    /**
     * @param lanes the books of the lanes it feeds (one for a pool without tenant groups)
     * @param slot the dispatcher's own slot: heartbeat entry 0, counters, handoff figures
     * @param clock monotonic milliseconds, the clock of the workers' heartbeats
     * @param onFailure run on the dispatch thread if it fails unexpectedly: ends the process
     */
    DispatchAgent(Sources sources, Lanes lanes, WorkerSlot slot, LongSupplier clock, Runnable onFailure) {
        this.sources = sources;
        this.book = lanes;
        this.slot = slot;
        this.clock = clock;
        this.onFailure = onFailure;
        this.thread = Thread.ofPlatform().name("dispatch").unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    /** Stop accepting, hand off what is held, then stop, within {@code timeoutMillis}. Any thread. */
    void drain(long timeoutMillis) {
        drainMillis = Math.max(0, timeoutMillis);
        wake.wake();
    }

    /** Waits up to {@code millis} for the thread to finish after a drain. */
    boolean join(long millis) throws InterruptedException {
        return thread.join(java.time.Duration.ofMillis(millis));
    }

    private void run() {
        try {
            open();
            while (true) {
                slot.beat(0, clock.getAsLong());
                int timeout = (int) (book.idle() ? IDLE_POLL_MS : WAITING_POLL_MS);
                for (int fd : Epoll.await(epfd, EVENTS, timeout)) {
                    ready(fd);
                }
                long now = clock.getAsLong();
                book.overdue(now).forEach(link -> revoke(link, "an ack is overdue"));
                dispatch(now);
                slot.handoff(book.queued(), book.inFlight(), book.links());
                if (drainDeadline != Long.MAX_VALUE && (book.idle() || clock.getAsLong() >= drainDeadline)) {
                    break;
                }
            }
        } catch (RuntimeException e) {
            // without this thread nothing is handed off; a quick exit gets a replacement started
            // after the pool's back-off instead of after the hang timeout
            LOG.log(Level.ERROR, "dispatch thread failed; exiting", e);
            onFailure.run();
        } finally {
            closeEverything();
        }
    }

    private void open() {
        epfd = Epoll.create();
        add(wake.fd(), wake);
        sources.lanes().forEach(lane -> add(lane.fd(), lane));
        if (sources.listeners().stream().anyMatch(ConnectionAcceptor::classifies)) {
            owners = sources.owners().get();
        }
        sources.listeners().forEach(l -> registered.put(l.fd(), l));
        accepting(true);
    }

    private void add(int fd, Object what) {
        registered.put(fd, what);
        Epoll.add(epfd, fd, Epoll.EPOLLIN);
    }

    private void ready(int fd) {
        switch (registered.get(fd)) {
            case ConnectionAcceptor listener -> accept(listener);
            case LinkAcceptor lane -> lane.accept().ifPresent(channel -> {
                Link link = new Link(nextLink++, channel, lane);
                links.put(link.id, link);
                add(channel.fd(), link);
            });
            case Link link -> read(link);
            case WakeFd w -> {
                w.clear();
                if (drainMillis >= 0 && drainDeadline == Long.MAX_VALUE) {
                    drainDeadline = clock.getAsLong() + drainMillis;
                    accepting(false);
                }
            }
            case null, default -> {
                // a descriptor removed earlier in this round
            }
        }
    }

    private void accept(ConnectionAcceptor listener) {
        for (int n = 0; n < ACCEPTS && accepting; n++) {
            ConnectionAcceptor.Accepted accepted = listener.acceptOne(owners);
            accepted.connection().ifPresent(connection -> {
                held++;
                slot.connectionAccepted();
                book.accepted(connection);
                if (held >= sources.room()) {
                    accepting(false);
                }
            });
            if (!accepted.more()) {
                return;
            }
        }
    }

    /** Puts the listeners into the epoll set or takes them out; never after the drain began. */
    private void accepting(boolean on) {
        boolean want = on && drainDeadline == Long.MAX_VALUE;
        if (want == accepting) {
            return;
        }
        accepting = want;
        for (ConnectionAcceptor listener : sources.listeners()) {
            if (want) {
                Epoll.add(epfd, listener.fd(), Epoll.EPOLLIN);
            } else {
                Epoll.delete(epfd, listener.fd());
            }
        }
    }

    /** Reads what the link sent, in order, up to its end. */
    private void read(Link link) {
        for (int n = 0; n < READS; n++) {
            Optional<ControlChannel.Received> received;
            try {
                received = link.channel.receiveNow(MESSAGE_BYTES);
            } catch (ControlException e) {
                LOG.log(Level.WARNING, "link " + link.id + ": " + e.getMessage());
                if (link.verified) {
                    revoke(link.id, "it sent a bad message");
                    continue;
                }
                unlinked(link);
                return;
            } catch (PosixException e) {
                LOG.log(Level.WARNING, "link " + link.id + " failed: " + e.getMessage());
                unlinked(link);
                return;
            }
            if (received.isEmpty()) {
                if (link.channel.ended()) {
                    unlinked(link);
                }
                return;
            }
            if (!link.verified) {
                verify(link, received.get());
                if (!link.verified) {
                    return;
                }
                continue;
            }
            FileDescriptors.closeAll(received.get().fds());
            switch (received.get().message()) {
                case ControlMessage.Credit c -> book.credit(link.id, c.connections());
                case ControlMessage.Ack a -> {
                    book.acked(link.id, a.batch()).forEach(this::handedOver);
                    if (a.credit() > 0) {
                        book.credit(link.id, a.credit());
                    }
                }
                default -> LOG.log(Level.WARNING, "link " + link.id + ": ignoring " + received.get().message());
            }
        }
    }

    private void verify(Link link, ControlChannel.Received first) {
        Optional<WorkerSlot> worker;
        try {
            worker = link.lane.hello(first, link.channel.peerPid());
        } catch (RuntimeException e) {
            worker = Optional.empty();
        }
        if (worker.isEmpty()) {
            LOG.log(Level.WARNING, "refusing link " + link.id + ": not a worker of " + link.lane.lane());
            unlinked(link);
            return;
        }
        LOG.log(Level.INFO, "worker pid " + worker.get().pid() + " of " + link.lane.lane() + " linked as " + link.id);
        link.verified = true;
        book.linked(link.id, new SlotGauge(worker.get()), link.lane.lane());
    }

    private void dispatch(long now) {
        for (Optional<Batch> next = book.next(now); next.isPresent(); next = book.next(now)) {
            Batch batch = next.get();
            List<Connection> connections = batch.connections();
            int[] fds = new int[connections.size()];
            for (int i = 0; i < fds.length; i++) {
                fds[i] = connections.get(i).fd();
            }
            try {
                links.get(batch.link()).channel.send(new ControlMessage.Handoff(batch.number(),
                        connections.stream().map(Connection::service).toList()), fds);
            } catch (RuntimeException e) {
                // not delivered (a packet goes whole or not at all)
                revoke(batch.link(), "a send failed (" + e.getMessage() + ")");
            }
        }
    }

    /**
     * Ends a link from this side: Revoke, then shutdown. Its un-acked connections go back to the
     * queue when the loop reads the link's end, after every ack the worker managed to send.
     */
    private void revoke(int id, String why) {
        LOG.log(Level.WARNING, "link " + id + ": " + why + "; ending it and taking back what it did not ack");
        book.closing(id);
        ControlChannel channel = links.get(id).channel;
        try {
            channel.send(new ControlMessage.Revoke());
        } catch (RuntimeException e) {
            // the worker's end is gone already; the shutdown below ends ours
        }
        channel.shutdown();
    }

    /** The worker owns the connection: the dispatcher's copy is closed, the only close it does. */
    private void handedOver(Connection connection) {
        slot.requestServed();
        release(connection);
    }

    private void release(Connection connection) {
        try {
            FileDescriptors.close(connection.fd());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "closing the dispatcher's copy failed: " + e.getMessage());
        }
        slot.connectionClosed();
        held--;
        if (held < sources.room()) {
            accepting(true);
        }
    }

    /** The link ended (its end was read, or it failed): what it did not ack goes back to the queue. */
    private void unlinked(Link link) {
        registered.remove(link.channel.fd());
        links.remove(link.id);
        int back = link.verified ? book.unlinked(link.id) : 0;
        link.channel.close();
        if (back > 0) {
            LOG.log(Level.INFO, "link " + link.id + " ended with " + back + " connections unacknowledged;"
                    + " they go to other workers");
        }
    }

    private void closeEverything() {
        List<Connection> held = book.clear();
        if (!held.isEmpty()) {
            LOG.log(Level.WARNING, "stopping with " + held.size() + " connections not handed off; closing them");
        }
        drainDeadline = 0;
        held.forEach(this::release);
        links.values().forEach(link -> link.channel.close());
        links.clear();
        if (owners instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                LOG.log(Level.WARNING, "closing the owner lookup failed: " + e.getMessage());
            }
        }
        if (epfd >= 0) {
            FileDescriptors.close(epfd);
        }
        wake.close();
        slot.handoff(0, 0, 0);
    }
}
