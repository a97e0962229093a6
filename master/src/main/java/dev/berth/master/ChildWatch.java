package dev.berth.master;

import dev.berth.posix.Processes;
import java.lang.System.Logger.Level;
import java.util.List;

/**
 * Holds each child to the clock, once per tick: reaps it when its process has exited, and signals
 * it when it overstays its phase. What it may not overstay:
 *
 * <pre>
 *  SPARE     {@value #START_TIMEOUT_MS} ms from spawn to its Hello then SIGKILL
 *  STARTING  {@value #START_TIMEOUT_MS} ms from spawn            then SIGKILL
 *            ({@value #PROMOTED_START_TIMEOUT_MS} ms from the promotion of a spare, whose JVM is up)
 *  READY     pool hang-timeout since its oldest heartbeat   then SIGQUIT (thread dump), KILLING
 *  KILLING   {@value #KILL_GRACE_MS} ms                              then SIGKILL
 *  DRAINING  pool drain-timeout + {@value #DRAIN_GRACE_MS} ms             then SIGKILL
 * </pre>
 *
 * <p>A reaped child leaves its pool, gives back its scoreboard slot and token, and has its control
 * connection closed; an exit while starting or ready counts as a crash of the pool (its back-off
 * applies before the pool is filled again). A hung child counts as a crash too, but is replaced at
 * once: {@link #watch} says so and the supervisor starts the replacement, because only it knows
 * whether the pool still wants one.
 *
 * <p>Heartbeats are judged only over time the master itself ran: when {@link #tick} finds that
 * more than {@value #PAUSE_MS} ms passed since the last tick (the whole host was stopped, a
 * paused VM), a heartbeat counts as no older than that tick, so a child gets a whole hang-timeout
 * after the resume to beat again, instead of being killed for the master's own absence.
 *
 * <p>Runs on the supervisor thread, which owns the children and the pools; never blocks (a signal is
 * one kill(2), the exit status is read from a process that has ended).
 */
final class ChildWatch {

    private static final System.Logger LOG = System.getLogger(ChildWatch.class.getName());
    static final long START_TIMEOUT_MS = 60_000;
    static final long PROMOTED_START_TIMEOUT_MS = 10_000;
    static final long KILL_GRACE_MS = 300;
    static final long DRAIN_GRACE_MS = 5_000;

    /** A gap between ticks longer than this is the master's own pause (ticks come every 25 ms). */
    static final long PAUSE_MS = 1_000;

    private final ChildStarter starter;
    private long lastTick = Long.MIN_VALUE;
    private long resumedAt = Long.MIN_VALUE;
    private long nextJudgement = Long.MAX_VALUE;
    private final ChildChannels channels;
    private final MasterEvents events;

    /**
     * @param starter takes back the slot and token of a reaped child
     * @param channels closes the control connection of a reaped child
     */
    ChildWatch(ChildStarter starter, ChildChannels channels) {
        this.starter = starter;
        this.channels = channels;
        this.events = starter.events();
    }

    /** Once per tick, before {@link #watch}: notes a pause of the master itself at {@code now} (ms). */
    void tick(long now) {
        if (lastTick != Long.MIN_VALUE && now - lastTick > PAUSE_MS) {
            LOG.log(Level.INFO, "the master did not run for " + (now - lastTick) + " ms; heartbeats count from now");
            resumedAt = now;
        }
        lastTick = now;
        nextJudgement = Long.MAX_VALUE;
    }

    /**
     * The earliest time (ms) at which a ready child watched since the last {@link #tick} would be
     * hung if it did not beat again: when the supervisor must look next, at the latest, to judge
     * hangs on time. {@link Long#MAX_VALUE} when no ready child has a heartbeat to judge.
     */
    long nextJudgement() {
        return nextJudgement;
    }

    /**
     * Reaps {@code child} if it exited, or signals it if it overstayed its phase at {@code now}
     * (milliseconds of the supervisor's clock).
     *
     * @return whether it was found hung just now: it is being killed and wants a replacement
     */
    boolean watch(PoolState pool, WorkerProcess child, long now) {
        if (!child.process().isAlive()) {
            reap(pool, child);
            return false;
        }
        switch (child.phase()) {
            case SPARE -> {
                if (child.control().isEmpty() && now - child.spawnedAt() > START_TIMEOUT_MS) {
                    LOG.log(Level.WARNING, child + " did not attach in " + START_TIMEOUT_MS + " ms; killing it");
                    Processes.signal(child.pid(), Processes.SIGKILL);
                }
            }
            case STARTING -> {
                long timeout = child.promoted() ? PROMOTED_START_TIMEOUT_MS : START_TIMEOUT_MS;
                if (now - child.spawnedAt() > timeout) {
                    LOG.log(Level.WARNING, child + " did not become ready in " + timeout + " ms; killing it");
                    Processes.signal(child.pid(), Processes.SIGKILL);
                }
            }
            case READY -> {
                long beat = child.slot().oldestBeat();
                if (beat == Long.MAX_VALUE) {
                    return false;
                }
                long deadline = Math.max(beat, resumedAt) + pool.config().hangTimeout().toMillis();
                if (now > deadline) {
                    hung(pool, child, now, now - beat);
                    return true;
                }
                nextJudgement = Math.min(nextJudgement, deadline + 1);
            }
            case KILLING -> {
                if (now - child.phaseSince() > KILL_GRACE_MS) {
                    Processes.signal(child.pid(), Processes.SIGKILL);
                }
            }
            case DRAINING -> {
                if (now - child.phaseSince() > pool.config().drainTimeout().toMillis() + DRAIN_GRACE_MS) {
                    LOG.log(Level.WARNING, child + " still draining past its drain timeout; killing it");
                    Processes.signal(child.pid(), Processes.SIGKILL);
                }
            }
        }
        return false;
    }

    private void hung(PoolState pool, WorkerProcess child, long now, long ageMs) {
        events.on(new MasterEvent.Restart(MasterEvent.Child.of(child), RestartCause.HANG, "hung: heartbeat " + ageMs
                + " ms old (hang-timeout " + pool.config().hangTimeout().toMillis()
                + " ms); SIGQUIT for a thread dump, then SIGKILL"));
        Processes.signal(child.pid(), Processes.SIGQUIT);
        boolean wasReady = child.phase() == WorkerProcess.Phase.READY;
        child.phase(WorkerProcess.Phase.KILLING, now);
        pool.restarts().crashed(wasReady && noneReady(pool, child));
    }

    /**
     * Whether no other child of {@code child}'s role (worker or dispatcher) is ready in the pool
     * now; one that is dead or being killed is not ready.
     */
    private static boolean noneReady(PoolState pool, WorkerProcess child) {
        List<WorkerProcess> peers = child.role() == Role.DISPATCHER ? pool.dispatchers() : pool.workers();
        return peers.stream().noneMatch(c -> c != child && c.phase() == WorkerProcess.Phase.READY);
    }

    private void reap(PoolState pool, WorkerProcess child) {
        int status = child.process().exitValue();
        pool.remove(child);
        starter.reaped(child);
        channels.closed(child);
        String how = status > 128 ? "killed by signal " + (status - 128) : "exit status " + status;
        MasterEvent.Child who = MasterEvent.Child.of(child);
        switch (child.phase()) {
            case DRAINING -> events.on(new MasterEvent.Exited(who, "after draining (" + how + ")"));
            case KILLING -> events.on(new MasterEvent.Exited(who, "killed by the master (" + how + ")"));
            case SPARE, STARTING, READY -> {
                boolean wasThrottled = pool.restarts().throttled();
                long delay = pool.restarts().crashed(child.phase() == WorkerProcess.Phase.READY && noneReady(pool, child));
                String ended = how + child.failure().map(reason -> ": " + reason).orElse("");
                pool.lastFailure(ended);
                String when = switch (child.phase()) {
                    case SPARE -> "while a spare ";
                    case STARTING -> "while starting ";
                    default -> "";
                };
                events.on(new MasterEvent.Restart(who, RestartCause.CRASH, "died " + when + "(" + ended
                        + "); replacing it in " + delay + " ms"));
                if (!wasThrottled && pool.restarts().throttled()) {
                    events.on(new MasterEvent.Throttled(pool.config().name(), "crash-looping ("
                            + RestartPolicy.LOOP_CRASHES + " crashes within " + RestartPolicy.LOOP_WINDOW_MS
                            + " ms): restarts slowed to every " + RestartPolicy.MAX_DELAY_MS + " ms, never stopped"));
                }
            }
        }
    }
}
