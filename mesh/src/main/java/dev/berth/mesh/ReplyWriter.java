package dev.berth.mesh;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The proxy's single writer of every slot's reply ring. Any proxy thread may deliver; a lock per
 * slot keeps the ring single-producer. A record for a generation that is no longer the slot's is
 * dropped, so a new owner never reads what was meant for its predecessor. When a ring is full the
 * record waits in a per-slot queue, {@link #flush flushed} at the slot agent's every drain and,
 * since nobody rings when an owner reads, retried about every millisecond through {@code soon}
 * while any waits. Never blocks beyond the per-slot lock.
 *
 * <p>It also says when the proxy's event loop should stay awake ({@link #expecting}): a record just
 * written into a reply ring is usually followed within microseconds by a record in the same slot's
 * request ring (a worker's answer to a SERVE, or a caller's next call, made in the reply's
 * callback), and a loop that polls for it takes it without the owner ringing the doorbell's pipe
 * and without the loop's own wake-up from {@code epoll_wait}, 15 µs together here (docs/adr/0029).
 *
 * <pre>
 *   record written into a reply ring      window := now + awake (mesh.awake, default 50 µs)
 *   request read from a request ring      window := closed   ({@link #answered})
 *   the loop, with nothing to do          polls while now &lt; window, else sleeps
 * </pre>
 */
final class ReplyWriter {

    private final SlotFile file;
    private final Deque<Pending>[] overflow;
    /** Records waiting in every queue together. */
    private final AtomicInteger queued = new AtomicInteger();
    private final Consumer<Runnable> soon;
    private final LongSupplier nanos;
    /** Until when the loop expects a request (nanos), 0 when it does not: any thread writes, the loop reads. */
    private volatile long expectUntil;

    private record Pending(int generation, MeshRecord record) {
    }

    /**
     * How long the loop polls after it wrote a record, at most, unless {@code mesh.awake} says
     * otherwise: the answer of a handler that runs longer, or a call that does not follow, is
     * waited for asleep.
     */
    static final long AWAKE_NANOS = 50_000;

    /** How long the loop polls after it wrote a record; 0: it never does. */
    private final long awakeNanos;

    /** A writer whose waiting records are only flushed by whoever calls {@link #flush}. */
    ReplyWriter(SlotFile file) {
        this(file, task -> { }, System::nanoTime);
    }

    /** A writer whose loop polls for {@value #AWAKE_NANOS} ns after each record. */
    ReplyWriter(SlotFile file, Consumer<Runnable> soon, LongSupplier nanos) {
        this(file, soon, nanos, AWAKE_NANOS);
    }

    /**
     * @param soon runs a task about a millisecond later (on the proxy's event loop), to flush the
     *     records that wait for room
     * @param nanos the monotonic clock of {@link #expecting}
     * @param awakeNanos how long the loop polls after it wrote a record ({@code mesh.awake}); 0: never
     */
    @SuppressWarnings("unchecked")
    ReplyWriter(SlotFile file, Consumer<Runnable> soon, LongSupplier nanos, long awakeNanos) {
        this.file = file;
        this.awakeNanos = awakeNanos;
        this.soon = soon;
        this.nanos = nanos;
        this.overflow = new Deque[file.capacity()];
        for (int i = 0; i < overflow.length; i++) {
            overflow[i] = new ArrayDeque<>();
        }
    }

    /**
     * Writes a record into slot {@code index}'s reply ring, or queues it while the ring is full.
     *
     * @return false when the slot now has another owner (the record was dropped)
     */
    boolean deliver(int index, int generation, MeshRecord record) {
        Slot slot = file.slot(index);
        Deque<Pending> queue = overflow[index];
        synchronized (queue) {
            if (slot.generation() != generation || slot.state() != SlotState.ACTIVE) {
                return false;
            }
            if (!queue.isEmpty() || !RecordCodec.write(slot.replies(), record)) {
                queue.add(new Pending(generation, record));
                if (queued.getAndIncrement() == 0) {
                    soon.accept(this::retry);
                }
                return true;
            }
        }
        wrote(slot);
        return true;
    }

    /**
     * Whether the event loop should poll rather than sleep: a record went into a reply ring less
     * than {@code awake} ago, and no request was read since.
     */
    boolean expecting() {
        long until = expectUntil;
        return until != 0 && nanos.getAsLong() - until < 0;
    }

    /** Slot agent: it read a request; the loop no longer stays awake for one. */
    void answered() {
        expectUntil = 0;
    }

    private void wrote(Slot slot) {
        Wakeup.wake(slot.ownerWaiter());
        expectUntil = awakeNanos == 0 ? 0 : nanos.getAsLong() + awakeNanos;
    }

    /** Flushes, and looks again soon while records still wait. */
    private void retry() {
        flush();
        if (backlogged()) {
            soon.accept(this::retry);
        }
    }

    /** Whether any record waits for room: one volatile read, for the slot agent's every turn. */
    boolean backlogged() {
        return queued.get() > 0;
    }

    /** Slot agent: moves queued records into rings that have room again. */
    void flush() {
        for (int i = 0; i < overflow.length; i++) {
            Deque<Pending> queue = overflow[i];
            boolean wrote = false;
            synchronized (queue) {
                Slot slot = file.slot(i);
                while (!queue.isEmpty()) {
                    Pending next = queue.peek();
                    if (slot.generation() != next.generation() || slot.state() != SlotState.ACTIVE) {
                        queue.poll();
                        queued.decrementAndGet();
                    } else if (RecordCodec.write(slot.replies(), next.record())) {
                        queue.poll();
                        queued.decrementAndGet();
                        wrote = true;
                    } else {
                        break;
                    }
                }
            }
            if (wrote) {
                wrote(file.slot(i));
            }
        }
    }

    /** Drops what waits for slot {@code index} (its owner is gone). */
    void discard(int index) {
        synchronized (overflow[index]) {
            queued.addAndGet(-overflow[index].size());
            overflow[index].clear();
        }
    }
}
