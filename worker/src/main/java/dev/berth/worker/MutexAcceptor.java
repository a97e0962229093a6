package dev.berth.worker;

import dev.berth.posix.AcceptLock;
import dev.berth.posix.Poll;
import dev.berth.posix.PosixException;
import dev.berth.posix.WakeFd;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.stream.IntStream;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code accept: mutex}: one thread per worker; it takes the pool's accept lock (a file lock the
 * kernel releases if this process dies), waits for connections on all of the worker's listeners
 * (without a timeout: an idle pool costs nothing; {@link #stop} wakes it through a {@link WakeFd}),
 * accepts a batch of at most {@value #BATCH} per listener, and releases the lock. One thread per
 * worker is the in-JVM half of the lock: no two threads of a worker contend.
 *
 * <p>While it waits for the lock or for a connection, its heartbeat entry says "waiting outside"
 * (not judged), so a stopped holder gets killed by the hang detection of its own event loops, and
 * the waiters are not taken for hung. After a batch that took something the thread parks briefly so that a waiter
 * can win the lock: otherwise the last holder, already running, re-takes it and one worker grabs
 * all (nginx commit 46dd747c9). At the worker's recycle limit, once a sibling is ready, the thread
 * ends ({@link RecycleGate}). Owns the lock and closes it when it stops.
 */
final class MutexAcceptor implements Acceptor {

    private static final System.Logger LOG = System.getLogger(MutexAcceptor.class.getName());
    static final int BATCH = 4;
    private static final long YIELD_NANOS = 50_000;

    private final List<ListenerBinding> bindings;
    private final int[] fds;
    private final WakeFd wake = WakeFd.create();
    private final AcceptLock lock;
    private final AcceptContext context;
    private final PeerLoad peers;
    private final RecycleGate gate;
    private final int beat;
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * @param lock the pool's accept lock, owned from now on
     * @param beat this thread's heartbeat entry
     */
    MutexAcceptor(List<ListenerBinding> bindings, AcceptLock lock, AcceptContext context, int beat) {
        this.bindings = List.copyOf(bindings);
        this.fds = IntStream.concat(bindings.stream().mapToInt(b -> b.listener().fd()),
                IntStream.of(wake.fd())).toArray();
        this.lock = lock;
        this.context = context;
        this.peers = context.peers().copy();
        this.gate = new RecycleGate(context.slot(), context.peers().copy());
        this.beat = beat;
        this.thread = Thread.ofPlatform().name("accept-mutex").unstarted(this::run);
    }

    @Override
    public void start() {
        thread.start();
    }

    private void run() {
        try {
            while (running && gate.open()) {
                yieldToLessBusyPeers();
                context.waitingOutside(beat);
                int taken;
                lock.lock();
                try {
                    taken = running ? acceptBatch() : 0;
                    context.beat(beat);
                } finally {
                    lock.unlock();
                }
                if (taken > 0) {
                    LockSupport.parkNanos(YIELD_NANOS);
                }
            }
        } finally {
            lock.close();
            wake.close();
        }
    }

    /** A clearly busier worker lets a sibling compete for the lock first (see {@link PeerLoad}). */
    private void yieldToLessBusyPeers() {
        for (int i = 0; i < PeerLoad.MAX_YIELDS && running && peers.busierThanPeers(); i++) {
            context.beat(beat);
            LockSupport.parkNanos(PeerLoad.YIELD_NANOS);
        }
    }

    private int acceptBatch() {
        boolean[] ready = Poll.readable(fds, -1);
        int taken = 0;
        for (int i = 0; i < bindings.size(); i++) {
            for (int n = 0; ready[i] && n < BATCH; n++) {
                int fd;
                try {
                    fd = bindings.get(i).listener().accept();
                } catch (PosixException e) {
                    LOG.log(Level.WARNING, "accept failed: " + e.getMessage());
                    break;
                }
                if (fd < 0) {
                    break;
                }
                context.intake().take(fd, bindings.get(i).handler());
                taken++;
            }
        }
        return taken;
    }

    @Override
    public void stop() {
        running = false;
        wake.wake();
    }

    @Override
    public void join() throws InterruptedException {
        thread.join();
    }
}
