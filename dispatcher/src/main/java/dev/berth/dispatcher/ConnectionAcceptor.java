package dev.berth.dispatcher;

import dev.berth.posix.PosixException;
import dev.berth.tenancy.PeerOwners;
import dev.berth.posix.TcpListener;
import dev.berth.scoreboard.WorkerSlot;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * One accept thread of the dispatcher, blocked in {@code accept()} on a listener the master holds
 * (blocking, with a receive timeout of 100 ms; docs/adr/0002). Before each accept it takes a unit
 * of the queue's room: when the dispatcher holds its limit, accepting pauses and the kernel's
 * backlog holds the rest. Each connection goes to the {@link DispatchAgent} on its lane; a grouped
 * service's connection is classified here first ({@link LaneSorter}), so a refused one never takes
 * room in a queue (docs/adr/0013).
 *
 * <p>Every wait is bounded by {@value #POLL_MS} ms, so the thread stamps its heartbeat and notices
 * {@link #stop} within it. It never closes the connections it accepts: they belong to the agent,
 * or to the refusals.
 */
final class ConnectionAcceptor {

    private static final System.Logger LOG = System.getLogger(ConnectionAcceptor.class.getName());
    static final long POLL_MS = 100;

    private final TcpListener listener;
    private final String service;
    private final Semaphore room;
    private final DispatchAgent agent;
    private final WorkerSlot slot;
    private final int beat;
    private final LongSupplier clock;
    private final LaneSorter sorter;
    private final java.util.function.Supplier<PeerOwners> owners;
    private PeerOwners peerOwners = PeerOwners.NONE;
    private Optional<InetSocketAddress> bound = Optional.empty();
    private final Thread thread;
    private volatile boolean running = true;

    /** Parameters of one accept thread: where it accepts, and its heartbeat entry. */
    record Config(TcpListener listener, String service, int beat) {
    }

    /**
     * @param clock monotonic milliseconds, the heartbeats' clock
     * @param sorter puts each connection on its lane (classifies a grouped service's connections)
     * @param owners makes this thread's own lookup of loopback peers' owners, once, if its service
     *     is classified
     */
    ConnectionAcceptor(Config config, Semaphore room, DispatchAgent agent, WorkerSlot slot, LongSupplier clock,
                       LaneSorter sorter, java.util.function.Supplier<PeerOwners> owners) {
        this.clock = clock;
        this.sorter = sorter;
        this.owners = owners;
        this.listener = config.listener();
        this.service = config.service();
        this.room = room;
        this.agent = agent;
        this.slot = slot;
        this.beat = config.beat();
        this.thread = Thread.ofPlatform().name("accept-" + service + "-" + beat).unstarted(this::run);
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
        if (sorter.classifies(service)) {
            peerOwners = owners.get();
            bound = Optional.of(listener.localAddress()).filter(a -> !a.getAddress().isAnyLocalAddress());
        }
        try {
            while (running) {
                slot.beat(beat, clock.getAsLong());
                if (room.tryAcquire(POLL_MS, TimeUnit.MILLISECONDS)) {
                    acceptOne();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (peerOwners instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    LOG.log(Level.WARNING, "closing the owner lookup failed: " + e.getMessage());
                }
            }
        }
    }

    private void acceptOne() {
        int fd;
        try {
            fd = running ? listener.accept() : -1;
        } catch (PosixException e) {
            // EMFILE and friends: the connection stays queued in the kernel; back off briefly
            room.release();
            LOG.log(Level.WARNING, "accept failed, pausing " + POLL_MS + " ms: " + e.getMessage());
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(POLL_MS));
            return;
        }
        if (fd < 0) {
            room.release();
            return;
        }
        Optional<String> lane = sorter.lane(fd, service, peerOwners, bound);
        if (lane.isEmpty()) {
            // refused in the protocol's terms; the refusals own it now and it never takes room
            room.release();
            return;
        }
        agent.post(new DispatchEvent.Accepted(new Connection(fd, service, lane.get())));
    }
}
