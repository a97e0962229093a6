package dev.berth.master;

import dev.berth.control.ControlChannel;
import dev.berth.control.ControlMessage;
import dev.berth.scoreboard.WorkerSlot;
import java.util.Optional;

/**
 * The master's record of one worker JVM, from spawn to reaping. Owned and mutated by the supervisor
 * thread only.
 *
 * <pre>
 *  STARTING --Ready--&gt; READY --Drain--&gt; DRAINING --exit--&gt; (reaped)
 *      \                  \--hang--&gt; KILLING --exit--&gt; (reaped, replaced already)
 *       \--exit or start timeout--&gt; (reaped, crash)
 * </pre>
 */
final class WorkerProcess {

    /** The master's view of a worker's life. */
    enum Phase { STARTING, READY, DRAINING, KILLING }

    private final String pool;
    private final int id;
    private final long generation;
    private final WorkerSlot slot;
    private final long token;
    private final Process process;
    private final long spawnedAt;
    private final long acceptLimit;
    private Phase phase = Phase.STARTING;
    private ControlChannel control;
    private long phaseSince;
    private boolean replacementStarted;
    private WorkerProcess replaces;

    /**
     * @param acceptLimit connections after which the worker is recycled, 0 for never
     */
    WorkerProcess(String pool, int id, long generation, WorkerSlot slot, long token, Process process,
                  long spawnedAt, long acceptLimit) {
        this.pool = pool;
        this.id = id;
        this.generation = generation;
        this.slot = slot;
        this.token = token;
        this.process = process;
        this.spawnedAt = spawnedAt;
        this.phaseSince = spawnedAt;
        this.acceptLimit = acceptLimit;
    }

    String pool() {
        return pool;
    }

    int id() {
        return id;
    }

    long generation() {
        return generation;
    }

    WorkerSlot slot() {
        return slot;
    }

    long token() {
        return token;
    }

    Process process() {
        return process;
    }

    long pid() {
        return process.pid();
    }

    long spawnedAt() {
        return spawnedAt;
    }

    Phase phase() {
        return phase;
    }

    long phaseSince() {
        return phaseSince;
    }

    void phase(Phase next, long now) {
        phase = next;
        phaseSince = now;
    }

    /** Whether this worker counts toward its pool's size: starting or serving, not leaving. */
    boolean serving() {
        return phase == Phase.STARTING || phase == Phase.READY;
    }

    /** Whether it has taken its share of connections and should be recycled. */
    boolean recycleDue() {
        return acceptLimit > 0 && phase == Phase.READY && slot.accepted() >= acceptLimit;
    }

    boolean replacementStarted() {
        return replacementStarted;
    }

    void replacementStarted(boolean started) {
        replacementStarted = started;
    }

    /** The worker this one was started to replace (recycling), once it is ready. */
    Optional<WorkerProcess> replaces() {
        return Optional.ofNullable(replaces);
    }

    void replaces(WorkerProcess old) {
        replaces = old;
    }

    void control(ControlChannel channel) {
        control = channel;
    }

    Optional<ControlChannel> control() {
        return Optional.ofNullable(control);
    }

    /** Sends Drain if the control connection is up; a failed send means the worker is gone. */
    void drain(long timeoutMillis, long now) {
        phase(Phase.DRAINING, now);
        try {
            control().ifPresent(c -> c.send(new ControlMessage.Drain(timeoutMillis)));
        } catch (RuntimeException e) {
            // the worker is exiting already; reaping will see it
        }
    }

    /** Describes the worker for logs: pool, id, pid, generation. */
    @Override
    public String toString() {
        return "pool=" + pool + " id=" + id + " pid=" + pid() + " gen=" + generation;
    }
}
