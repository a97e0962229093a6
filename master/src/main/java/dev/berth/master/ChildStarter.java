package dev.berth.master;

import dev.berth.config.PoolConfig;
import dev.berth.scoreboard.Scoreboard;
import dev.berth.scoreboard.WorkerSlot;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

/**
 * Starts workers and dispatchers into free scoreboard slots, each with a token never used before,
 * and finds a child again by the token it presents in its Hello. A handoff pool's dispatch socket
 * of the child's generation is made before the child starts. Owned by the supervisor thread,
 * except {@link #awaits}, which the control socket's admission thread calls.
 */
final class ChildStarter {

    private static final System.Logger LOG = System.getLogger(ChildStarter.class.getName());

    private final Spawner spawner;
    private final DispatchSockets dispatchSockets;
    private final Scoreboard scoreboard;
    private final LongSupplier clock;
    private final MasterEvents events;
    private final CounterTotals totals = new CounterTotals();
    private final Deque<Integer> freeSlots = new ArrayDeque<>();
    private final Map<Long, WorkerProcess> byToken = new LinkedHashMap<>();
    /** Pids of children started and not attached yet: the only processes the control socket admits. */
    private final Set<Long> awaited = ConcurrentHashMap.newKeySet();
    private long nextToken = 1;
    private Runnable onExit = () -> { };

    ChildStarter(ProcessSupervisor.Children children, Scoreboard scoreboard, LongSupplier clock) {
        this.spawner = children.spawner();
        this.dispatchSockets = children.dispatchSockets();
        this.scoreboard = scoreboard;
        this.clock = clock;
        this.events = children.events();
        for (int i = 0; i < scoreboard.capacity(); i++) {
            freeSlots.add(i);
        }
    }

    /**
     * Starts a child for {@code pool} and adds it there. A failure to start counts as a crash of
     * the pool (its back-off applies) and is logged.
     *
     * @return the child, or empty when no slot is free or it could not be started
     */
    Optional<WorkerProcess> start(PoolState pool, ChildIdentity who, String why) {
        return start(pool, who, why, WorkerProcess.Phase.STARTING);
    }

    /**
     * Starts a spare worker for {@code pool}: it attaches and waits until {@link #promote}; until
     * then it serves no generation, and {@code generation} only says which config started it.
     *
     * @return the spare, or empty when no slot is free or it could not be started
     */
    Optional<WorkerProcess> startSpare(PoolState pool, long generation) {
        return start(pool, new ChildIdentity(Role.WORKER, pool.config().name(), 0, generation),
                "a spare: the pool keeps " + pool.config().spareWorkers() + " started to replace a worker at once",
                WorkerProcess.Phase.SPARE);
    }

    /**
     * Makes a spare of {@code pool} the worker {@code who}, with a recycle limit of its own; the
     * caller sends the assignment (now if the spare has attached, else at its Hello).
     */
    void promote(PoolState pool, WorkerProcess spare, ChildIdentity who, String why) {
        long limit = acceptLimit(pool.config().maxRequests());
        long upFor = clock.getAsLong() - spare.spawnedAt();
        spare.slot().acceptLimit(limit);
        spare.promote(who, limit, clock.getAsLong());
        events.on(new MasterEvent.Started(MasterEvent.Child.of(spare), why + "; a spare, up for " + upFor + " ms"));
    }

    private Optional<WorkerProcess> start(PoolState pool, ChildIdentity who, String why, WorkerProcess.Phase phase) {
        Integer index = freeSlots.poll();
        if (index == null) {
            LOG.log(Level.ERROR, "no free scoreboard slot for pool " + who.pool());
            return Optional.empty();
        }
        long token = nextToken++;
        WorkerSlot slot = scoreboard.slot(index);
        slot.assign(token, WorkerSlot.groupOf(who.role().name(), who.pool()));
        PoolConfig p = pool.config();
        try {
            if (pool.handoff()) {
                dispatchSockets.open(who.pool(), who.generation());
            }
            long limit = who.role() == Role.WORKER && phase != WorkerProcess.Phase.SPARE ? acceptLimit(p.maxRequests()) : 0;
            slot.acceptLimit(limit);
            Process process = spawner.spawn(p, index, token, who.role(), phase == WorkerProcess.Phase.SPARE);
            Runnable wake = onExit;
            process.onExit().thenRun(wake);
            WorkerProcess child = new WorkerProcess(who, slot, token, process, clock.getAsLong(), limit, phase);
            pool.add(child);
            byToken.put(token, child);
            awaited.add(child.pid());
            ChildOutput.copy(process, () -> MasterEvent.Child.of(child));
            events.on(new MasterEvent.Started(MasterEvent.Child.of(child), why));
            return Optional.of(child);
        } catch (IOException | RuntimeException e) {
            slot.release();
            freeSlots.add(index);
            pool.restarts().crashed();
            LOG.log(Level.ERROR, "cannot start a " + who.role().name().toLowerCase(Locale.ROOT) + " for pool "
                    + who.pool() + ": " + e.getMessage());
            return Optional.empty();
        }
    }

    /** Where the supervisor's events go. */
    MasterEvents events() {
        return events;
    }

    /** Runs {@code wake} (on the JDK's process-reaper thread) whenever a child started from now on ends. */
    void onExit(Runnable wake) {
        this.onExit = wake;
    }

    /** The live child that was given {@code token}. */
    Optional<WorkerProcess> byToken(long token) {
        return Optional.ofNullable(byToken.get(token));
    }

    /** The children's counters, reaped ones included. */
    CounterTotals totals() {
        return totals;
    }

    /** Whether {@code pid} is a child started and not attached yet. Thread-safe. */
    boolean awaits(long pid) {
        return awaited.contains(pid);
    }

    /** The child has attached: no other connection from its pid is admitted. */
    void attached(WorkerProcess child) {
        awaited.remove(child.pid());
    }

    /** Keeps the final counts of a child that exited, then frees its slot and token. */
    void reaped(WorkerProcess child) {
        awaited.remove(child.pid());
        totals.retire(child);
        byToken.remove(child.token());
        child.slot().release();
        freeSlots.add(child.slot().index());
    }

    /** Up to 10 % more than max-requests, so that workers started together do not retire together. */
    private static long acceptLimit(long maxRequests) {
        return maxRequests == 0 ? 0 : maxRequests + ThreadLocalRandom.current().nextLong(maxRequests / 10 + 1);
    }
}
