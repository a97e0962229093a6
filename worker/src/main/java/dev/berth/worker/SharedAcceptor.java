package dev.berth.worker;

import dev.berth.posix.BlockedThread;
import dev.berth.posix.PosixException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code accept: shared} and {@code accept: reuseport}: one platform thread per listener, blocked
 * in {@code accept()}. On a shared socket the kernel wakes blocked acceptors one at a time, oldest
 * waiter first, across processes, which keeps the pool balanced; a stopped or busy worker is not
 * waiting, so it takes nothing (docs/adr/0002). On a worker's own reuseport socket, the kernel has
 * already chosen the worker by hashing the connection.
 *
 * <p>While blocked in {@code accept()} its heartbeat entry says "waiting outside" (an idle worker
 * is not a hung one, and its event loops' entries still show a stopped process); it stamps the
 * entry when a connection arrives and while it hands it over. {@link #join} wakes it out of the
 * call ({@link BlockedThread}), so an idle worker costs no wake-ups and still stops at once; the
 * socket's receive timeout (set by the master, {@code Listeners.SHARED_ACCEPT_POLL}) only bounds the
 * wait where that wake-up is not available. On a shared socket, a worker past its recycle limit
 * leaves new connections to its siblings once one is ready ({@link RecycleGate}).
 *
 * <p>Why {@code shared} keeps these threads rather than accepting inside the event loops with
 * EPOLLEXCLUSIVE, as {@code reuseport} now does: docs/adr/0022.
 */
final class SharedAcceptor implements Acceptor {

    private static final System.Logger LOG = System.getLogger(SharedAcceptor.class.getName());
    static final int MAX_YIELDS = 20;
    static final long YIELD_NANOS = 100_000;
    static final long FAILURE_PAUSE_NANOS = 100_000_000;
    private static final Duration WAKE_EVERY = Duration.ofMillis(50);

    private final ListenerBinding binding;
    private final AcceptContext context;
    private final int beat;
    private final Optional<PeerLoad> peers;
    private final Optional<RecycleGate> gate;
    private final Thread thread;
    private volatile BlockedThread blocked;
    private volatile boolean running = true;

    /**
     * @param beat this thread's heartbeat entry
     * @param yields whether it yields to less busy siblings: on a shared socket; not on a
     *     reuseport socket, where the kernel has chosen the worker already
     */
    SharedAcceptor(ListenerBinding binding, AcceptContext context, int beat, boolean yields) {
        this.binding = binding;
        this.context = context;
        this.beat = beat;
        this.peers = yields ? Optional.of(context.peers().copy()) : Optional.empty();
        this.gate = yields ? Optional.of(new RecycleGate(context.slot(), context.peers().copy())) : Optional.empty();
        this.thread = Thread.ofPlatform().name("accept-" + binding.service() + "-" + binding.listener().fd())
                .unstarted(this::run);
    }

    @Override
    public void start() {
        thread.start();
    }

    private void run() {
        blocked = BlockedThread.current();
        while (running) {
            context.beat(beat);
            if (gate.isPresent() && !gate.get().open()) {
                // past the recycle limit with a sibling ready: the queue is the siblings'
                LockSupport.parkNanos(FAILURE_PAUSE_NANOS);
                continue;
            }
            yieldToLessBusyPeers();
            int fd;
            try {
                context.waitingOutside(beat);
                fd = binding.listener().accept();
                context.beat(beat);
            } catch (PosixException e) {
                context.beat(beat);
                // EMFILE and friends: the connection stays queued for a sibling; back off briefly
                LOG.log(Level.WARNING, "accept failed, pausing 100 ms: " + e.getMessage());
                LockSupport.parkNanos(FAILURE_PAUSE_NANOS);
                continue;
            }
            if (fd >= 0) {
                context.intake().take(fd, binding.handler());
            }
        }
    }

    /** Waits at most {@value #MAX_YIELDS} x 100 µs while a sibling is clearly less busy. */
    private void yieldToLessBusyPeers() {
        for (int i = 0; i < MAX_YIELDS && running && peers.isPresent() && peers.get().busierThanPeers(); i++) {
            LockSupport.parkNanos(YIELD_NANOS);
        }
    }

    @Override
    public void stop() {
        running = false;
    }

    /** Waits for the thread to end, waking it out of {@code accept()} ({@link #stop} came first). */
    @Override
    public void join() throws InterruptedException {
        BlockedThread.joinWaking(thread, () -> blocked, WAKE_EVERY);
    }
}
