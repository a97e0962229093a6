package dev.berth.master;

import dev.berth.control.ControlChannel;
import dev.berth.control.ControlMessage;
import dev.berth.scoreboard.WorkerSlot;
import java.util.Optional;

/**
 * The master's record of one child JVM (a worker, or a pool's dispatcher, which goes through the
 * same phases), from spawn to reaping. Owned and mutated by the supervisor thread.
 *
 * <pre>
 *  SPARE --promoted--&gt; STARTING --Ready--&gt; READY --Drain--&gt; DRAINING --exit--&gt; (reaped)
 *    \--retired--&gt; DRAINING   \                  \--hang--&gt; KILLING --exit--&gt; (reaped, replaced already)
 *                              \--exit or start timeout--&gt; (reaped, crash)
 * </pre>
 *
 * <p>A spare is a worker JVM started ahead of need: it attaches (Hello) and waits for an
 * assignment, which the master sends only when it promotes the spare into a worker of some id and
 * generation (docs/adr/0033).
 *
 * <p>Only its identity is read off the supervisor thread (by {@link ChildOutput}, to attribute
 * the child's log lines).
 */
final class WorkerProcess {

    /** The master's view of a worker's life. */
    enum Phase { SPARE, STARTING, READY, DRAINING, KILLING }

    /** Volatile: the thread that copies the child's output names it by it. */
    private volatile ChildIdentity identity;
    private final WorkerSlot slot;
    private final long token;
    private final Process process;
    private long spawnedAt;
    private long acceptLimit;
    private boolean promoted;
    private Phase phase;
    private ControlChannel control;
    private long phaseSince;
    private boolean replacementStarted;
    private WorkerProcess replaces;
    private String failure;

    /**
     * @param acceptLimit connections after which the worker is recycled, 0 for never
     * @param phase {@link Phase#STARTING}, or {@link Phase#SPARE} for a spare
     */
    WorkerProcess(ChildIdentity identity, WorkerSlot slot, long token, Process process, long spawnedAt,
                  long acceptLimit, Phase phase) {
        this.phase = phase;
        this.identity = identity;
        this.slot = slot;
        this.token = token;
        this.process = process;
        this.spawnedAt = spawnedAt;
        this.phaseSince = spawnedAt;
        this.acceptLimit = acceptLimit;
    }

    Role role() {
        return identity.role();
    }

    String pool() {
        return identity.pool();
    }

    int id() {
        return identity.id();
    }

    long generation() {
        return identity.generation();
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

    /** When it was started, or for a promoted spare, promoted: its start as a worker. */
    long spawnedAt() {
        return spawnedAt;
    }

    /**
     * Makes a spare the worker {@code who}: it starts (its assignment is due) at {@code now}, with
     * {@code acceptLimit} connections before it is recycled.
     */
    void promote(ChildIdentity who, long acceptLimit, long now) {
        identity = who;
        this.acceptLimit = acceptLimit;
        promoted = true;
        spawnedAt = now;
        phase(Phase.STARTING, now);
    }

    /** Whether it was a spare: its JVM was up before it started as a worker. */
    boolean promoted() {
        return promoted;
    }

    /** A spare kept over a reload whose pool starts its JVMs as before: it will serve {@code next}. */
    void adopt(long next) {
        identity = new ChildIdentity(identity.role(), identity.pool(), identity.id(), next);
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

    /** Keeps what the child said about why it fails (its Failed message), at most 1000 characters. */
    void failure(String reason) {
        failure = reason.length() > 1000 ? reason.substring(0, 1000) + "..." : reason;
    }

    /** Why the child said it failed, if it did. */
    Optional<String> failure() {
        return Optional.ofNullable(failure);
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

    /** Describes the process for logs: pool, id (or dispatcher, or spare), pid, generation. */
    @Override
    public String toString() {
        String who = phase == Phase.SPARE ? " spare" : role() == Role.WORKER ? " id=" + id() : " " + role().childName();
        return "pool=" + pool() + who + " pid=" + pid() + " gen=" + generation();
    }
}
