package dev.berth.scoreboard;

import java.lang.invoke.VarHandle;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static dev.berth.scoreboard.ScoreboardDescriptor.ACCEPTED_OFFSET;
import static dev.berth.scoreboard.ScoreboardDescriptor.ACTIVE_OFFSET;
import static dev.berth.scoreboard.ScoreboardDescriptor.BEATS_OFFSET;
import static dev.berth.scoreboard.ScoreboardDescriptor.BEAT_OFFSET;
import static dev.berth.scoreboard.ScoreboardDescriptor.GROUP_OFFSET;
import static dev.berth.scoreboard.ScoreboardDescriptor.COUNTED_BATCH_OFFSET;
import static dev.berth.scoreboard.ScoreboardDescriptor.IN_FLIGHT_OFFSET;
import static dev.berth.scoreboard.ScoreboardDescriptor.LIMIT_OFFSET;
import static dev.berth.scoreboard.ScoreboardDescriptor.LINKS_OFFSET;
import static dev.berth.scoreboard.ScoreboardDescriptor.LOAD_OFFSET;
import static dev.berth.scoreboard.ScoreboardDescriptor.MAX_BEATS;
import static dev.berth.scoreboard.ScoreboardDescriptor.PID_OFFSET;
import static dev.berth.scoreboard.ScoreboardDescriptor.QUEUED_OFFSET;
import static dev.berth.scoreboard.ScoreboardDescriptor.SERVED_OFFSET;
import static dev.berth.scoreboard.ScoreboardDescriptor.STATE_OFFSET;
import static dev.berth.scoreboard.ScoreboardDescriptor.TOKEN_OFFSET;

/**
 * One worker's (or dispatcher's) slot (layout in {@link ScoreboardDescriptor}). A flyweight over the
 * mapping: cheap to make, valid until the scoreboard is closed. Writers: the master writes the
 * token, the child process everything else. Every method is thread-safe and never blocks.
 */
public final class WorkerSlot {

    private static final VarHandle LONG = JAVA_LONG.varHandle();
    private static final VarHandle INT = JAVA_INT.varHandle();

    private final int index;
    private final MemorySegment slot;
    private volatile SlotCounters counters;

    WorkerSlot(int index, MemorySegment slot) {
        this.index = index;
        this.slot = slot;
    }

    /** The slot's index in the scoreboard. */
    public int index() {
        return index;
    }

    /**
     * Master: gives the slot to a new child, zeroing what the previous one left.
     *
     * @param token unique per spawn, not 0
     * @param group the same for every child of one pool and role ({@link #groupOf})
     */
    public void assign(long token, long group) {
        if (token == 0) {
            throw new IllegalArgumentException("token 0 means free");
        }
        slot.asSlice(8).fill((byte) 0);
        LONG.setRelease(slot, (long) GROUP_OFFSET, group);
        LONG.setRelease(slot, (long) TOKEN_OFFSET, token);
    }

    /**
     * Master, right after {@link #assign}: connections after which the worker is recycled, 0 for
     * never.
     */
    public void acceptLimit(long connections) {
        LONG.setRelease(slot, (long) LIMIT_OFFSET, connections);
    }

    /** The recycle limit the master wrote, 0 for none. */
    public long acceptLimit() {
        return (long) LONG.getAcquire(slot, (long) LIMIT_OFFSET);
    }

    /** The group the master wrote at assignment. */
    public long group() {
        return (long) LONG.getAcquire(slot, (long) GROUP_OFFSET);
    }

    /** A stable group id for a pool and role: FNV-1a over "role/pool". */
    public static long groupOf(String role, String pool) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : (role + "/" + pool).getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            hash = (hash ^ (b & 0xff)) * 0x100000001b3L;
        }
        return hash;
    }

    /** Master: frees the slot after its worker is gone. */
    public void release() {
        LONG.setRelease(slot, (long) TOKEN_OFFSET, 0L);
    }

    /** The token of the worker that owns the slot, 0 when free. */
    public long token() {
        return (long) LONG.getAcquire(slot, (long) TOKEN_OFFSET);
    }

    /** Worker: records its pid and the number of heartbeat entries, and enters STARTING. */
    public void attach(long pid, int beats) {
        if (beats < 1 || beats > MAX_BEATS) {
            throw new IllegalArgumentException("beats must be 1.." + MAX_BEATS + ": " + beats);
        }
        LONG.setRelease(slot, (long) PID_OFFSET, pid);
        INT.setRelease(slot, (long) BEATS_OFFSET, beats);
        state(WorkerState.STARTING);
    }

    /** The pid the worker recorded, 0 before it attached. */
    public long pid() {
        return (long) LONG.getAcquire(slot, (long) PID_OFFSET);
    }

    /** Worker: records its state. */
    public void state(WorkerState state) {
        INT.setRelease(slot, (long) STATE_OFFSET, state.code());
    }

    /** The state the worker recorded. */
    public WorkerState state() {
        return WorkerState.of((int) INT.getAcquire(slot, (long) STATE_OFFSET));
    }

    /**
     * Worker: stamps heartbeat entry {@code beat} with the current monotonic time.
     *
     * @param nowMillis {@code System.nanoTime() / 1_000_000}
     */
    public void beat(int beat, long nowMillis) {
        LONG.setRelease(slot, (long) BEAT_OFFSET + 8L * checkBeat(beat), nowMillis);
    }

    /** Heartbeat entry {@code beat} as last stamped: 0 before the first stamp. */
    public long heartbeat(int beat) {
        return (long) LONG.getAcquire(slot, (long) BEAT_OFFSET + 8L * checkBeat(beat));
    }

    /**
     * The oldest heartbeat among the entries in use, or empty-equivalent {@link Long#MAX_VALUE} when
     * the worker has not attached or an entry has never been stamped yet.
     */
    public long oldestBeat() {
        int beats = (int) INT.getAcquire(slot, (long) BEATS_OFFSET);
        if (beats == 0) {
            return Long.MAX_VALUE;
        }
        long oldest = Long.MAX_VALUE;
        for (int i = 0; i < Math.min(beats, MAX_BEATS); i++) {
            long beat = (long) LONG.getAcquire(slot, (long) BEAT_OFFSET + 8L * i);
            if (beat == 0) {
                return Long.MAX_VALUE;
            }
            oldest = Math.min(oldest, beat);
        }
        return oldest;
    }

    /** Worker: how busy its event loops were over the last second, 0..1000. */
    public void load(int perMille) {
        INT.setRelease(slot, (long) LOAD_OFFSET, Math.clamp(perMille, 0, 1000));
    }

    /** The busy share the worker last reported, per mille. */
    public int load() {
        return (int) INT.getAcquire(slot, (long) LOAD_OFFSET);
    }

    /** Worker: one more connection taken; also counts it as active. */
    public void connectionAccepted() {
        LONG.getAndAdd(slot, (long) ACCEPTED_OFFSET, 1L);
        LONG.getAndAdd(slot, (long) ACTIVE_OFFSET, 1L);
    }

    /** Worker: a connection closed. */
    public void connectionClosed() {
        LONG.getAndAdd(slot, (long) ACTIVE_OFFSET, -1L);
    }

    /** Worker: a request finished. */
    public void requestServed() {
        LONG.getAndAdd(slot, (long) SERVED_OFFSET, 1L);
    }

    /** Connections taken since the worker started. */
    public long accepted() {
        return (long) LONG.getAcquire(slot, (long) ACCEPTED_OFFSET);
    }

    /**
     * Connections open now. A volatile read (as cheap as a plain load on x86), so that a waiter
     * that publishes a flag and then reads this cannot miss a close that reads the flag after its
     * decrement.
     */
    public long active() {
        return (long) LONG.getVolatile(slot, (long) ACTIVE_OFFSET);
    }

    /** Requests finished since the worker started. */
    public long served() {
        return (long) LONG.getAcquire(slot, (long) SERVED_OFFSET);
    }

    /**
     * Dispatcher: what it holds now. Written by its one dispatch thread; each value is atomic on its
     * own, so a reader may see the three from slightly different moments.
     *
     * @param queued connections waiting for a worker
     * @param inFlight connections sent to workers and not yet acknowledged
     * @param links workers connected to it
     */
    public void handoff(long queued, long inFlight, long links) {
        LONG.setRelease(slot, (long) QUEUED_OFFSET, queued);
        LONG.setRelease(slot, (long) IN_FLIGHT_OFFSET, inFlight);
        LONG.setRelease(slot, (long) LINKS_OFFSET, links);
    }

    /** Dispatcher: connections waiting for a worker. */
    public long queued() {
        return (long) LONG.getAcquire(slot, (long) QUEUED_OFFSET);
    }

    /** Dispatcher: connections sent to workers and not yet acknowledged. */
    public long inFlight() {
        return (long) LONG.getAcquire(slot, (long) IN_FLIGHT_OFFSET);
    }

    /** Dispatcher: workers connected to it. */
    public long links() {
        return (long) LONG.getAcquire(slot, (long) LINKS_OFFSET);
    }

    /**
     * Handoff worker: the connections of every batch up to {@code batch} of its current link are
     * counted in {@link #active} now; 0 when it links anew. Call after counting them.
     */
    public void countedBatch(long batch) {
        LONG.setRelease(slot, (long) COUNTED_BATCH_OFFSET, batch);
    }

    /**
     * The last batch of its link a handoff worker counted in {@link #active}. Read it before {@link
     * #active}: what it names is then in the count read after it.
     */
    public long countedBatch() {
        return (long) LONG.getAcquire(slot, (long) COUNTED_BATCH_OFFSET);
    }

    /**
     * Child: its labelled counters. Use the one {@code WorkerSlot} the child claimed for all its
     * counting: the counters cache where their records are, per slot object.
     */
    public Counters counters() {
        SlotCounters mine = counters;
        if (mine == null) {
            synchronized (this) {
                mine = counters == null ? (counters = new SlotCounters(slot)) : counters;
            }
        }
        return mine;
    }

    /** Master: what the child has counted so far, record by record. */
    public java.util.List<Counters.Sample> counterSamples() {
        return SlotCounters.read(slot);
    }

    /** Master: increments the child lost because its counters area was full. */
    public int countersOverflowed() {
        return SlotCounters.overflowed(slot);
    }

    private static int checkBeat(int beat) {
        if (beat < 0 || beat >= MAX_BEATS) {
            throw new IndexOutOfBoundsException("beat " + beat);
        }
        return beat;
    }
}
