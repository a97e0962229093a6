package dev.berth.mesh;

import java.util.Iterator;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * The deadlines of calls in flight, run by one daemon thread that sleeps until the earliest. A new
 * deadline wakes that thread only when it falls before the one the thread sleeps for, so calls
 * that come one after another with the same timeout cost no wake-up at all; a {@code
 * ScheduledThreadPoolExecutor} wakes its thread for every task that lands on an empty queue, which
 * is once per call when calls go one at a time (three threads woken per mesh hop, docs/adr/0029).
 * A cancelled deadline leaves the thread asleep; it wakes at the old time, finds nothing due and
 * sleeps again.
 *
 * <pre>
 *   thread: awake := true; run what is due; sleepsUntil := earliest; awake := false;
 *           earliest changed meanwhile? loop : park until sleepsUntil
 *   add:    insert; if !awake and at &lt; sleepsUntil: unpark
 * </pre>
 *
 * The insert and the thread's second look are both ordered by volatile accesses, so a deadline is
 * never left unseen. Thread-safe; actions run on the deadline thread and must not block.
 */
final class Deadlines implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Deadlines.class.getName());
    /** How long the thread sleeps with nothing due (it wakes earlier for any new deadline). */
    private static final long IDLE_NANOS = 3_600_000_000_000L;

    private final LongSupplier nanos;
    private final ConcurrentSkipListSet<Timeout> pending = new ConcurrentSkipListSet<>();
    private final AtomicLong sequence = new AtomicLong();
    private final Thread thread;
    private volatile boolean awake = true;
    private volatile long sleepsUntil;
    private volatile boolean closed;

    /** One deadline; {@link #cancel} it when the call ends first. */
    final class Timeout implements Comparable<Timeout> {
        private final long at;
        private final long seq;
        private final Runnable action;

        private Timeout(long at, long seq, Runnable action) {
            this.at = at;
            this.seq = seq;
            this.action = action;
        }

        /** The action will not run (unless it runs now). */
        void cancel() {
            pending.remove(this);
        }

        @Override
        public int compareTo(Timeout other) {
            int byTime = Long.compare(at - other.at, 0);
            return byTime != 0 ? byTime : Long.compare(seq, other.seq);
        }
    }

    /**
     * Starts the thread.
     *
     * @param name the thread's name
     * @param nanos the monotonic clock deadlines are read on
     */
    Deadlines(String name, LongSupplier nanos) {
        this.nanos = nanos;
        this.sleepsUntil = nanos.getAsLong();
        this.thread = Thread.ofPlatform().daemon().name(name).start(this::run);
    }

    /** Runs {@code action} on the deadline thread {@code delayNanos} from now (at once when not positive). */
    Timeout add(long delayNanos, Runnable action) {
        Timeout timeout = new Timeout(nanos.getAsLong() + Math.max(0, delayNanos), sequence.incrementAndGet(), action);
        pending.add(timeout);
        if (!awake && timeout.at - sleepsUntil < 0) {
            LockSupport.unpark(thread);
        }
        return timeout;
    }

    /** Deadlines not yet run nor cancelled. */
    int size() {
        return pending.size();
    }

    /** Stops the thread; what is pending never runs. */
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
    }

    private void run() {
        while (!closed) {
            awake = true;
            long now = nanos.getAsLong();
            Timeout first = runDue(now);
            long until = first == null ? now + IDLE_NANOS : first.at;
            sleepsUntil = until;
            awake = false;
            Timeout again = earliest();
            if (again != null && (first == null || again.at - until < 0)) {
                continue;
            }
            LockSupport.parkNanos(this, until - now);
        }
    }

    /** Runs every deadline due at {@code now}; the earliest left, or null. */
    private Timeout runDue(long now) {
        Timeout first;
        while ((first = earliest()) != null && first.at - now <= 0) {
            if (pending.remove(first)) {
                try {
                    first.action.run();
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.ERROR, "a mesh deadline action failed", e);
                }
            }
        }
        return first;
    }

    private Timeout earliest() {
        Iterator<Timeout> it = pending.iterator();
        return it.hasNext() ? it.next() : null;
    }
}
