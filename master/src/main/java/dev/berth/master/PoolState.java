package dev.berth.master;

import dev.berth.config.AcceptStrategy;
import dev.berth.config.PoolConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * One pool as the supervisor tracks it: its current config, its workers and dispatchers of every
 * generation still alive, and its restart policy (shared by both roles). Owned by the supervisor
 * thread.
 */
final class PoolState {

    private PoolConfig config;
    private final RestartPolicy restarts;
    private final LongSupplier clock;
    private PoolSizer sizer;
    private final List<WorkerProcess> workers = new ArrayList<>();
    private final List<WorkerProcess> dispatchers = new ArrayList<>();
    private boolean removed;
    private boolean everReady;
    private String lastFailure = "";
    private boolean wantsWorkers = true;
    private boolean dispatches;

    PoolState(PoolConfig config, LongSupplier clock) {
        this.config = config;
        this.restarts = new RestartPolicy(clock);
        this.clock = clock;
        this.sizer = new PoolSizer(config.workers(), clock);
    }

    PoolConfig config() {
        return config;
    }

    void config(PoolConfig next) {
        if (!next.workers().equals(config.workers())) {
            sizer = new PoolSizer(next.workers(), clock);
        }
        config = next;
        removed = false;
    }

    PoolSizer sizer() {
        return sizer;
    }

    /** Average load of the ready workers of {@code generation}, per mille (0 when none). */
    int load(long generation) {
        return (int) workers.stream()
                .filter(w -> w.generation() == generation && w.phase() == WorkerProcess.Phase.READY)
                .mapToInt(w -> w.slot().load()).average().orElse(0);
    }

    RestartPolicy restarts() {
        return restarts;
    }

    /** Its workers of every generation still alive, spares included. */
    List<WorkerProcess> workers() {
        return workers;
    }

    /** Its dispatchers of every generation still alive ({@code accept: handoff}; at most one serving per generation). */
    List<WorkerProcess> dispatchers() {
        return dispatchers;
    }

    /** Workers and dispatchers, a copy. */
    List<WorkerProcess> processes() {
        List<WorkerProcess> all = new ArrayList<>(workers);
        all.addAll(dispatchers);
        return all;
    }

    void add(WorkerProcess child) {
        (child.role() == Role.DISPATCHER ? dispatchers : workers).add(child);
    }

    void remove(WorkerProcess child) {
        (child.role() == Role.DISPATCHER ? dispatchers : workers).remove(child);
    }

    /** Whether the pool hands connections to its workers through a dispatcher. */
    boolean handoff() {
        return config.accept() == AcceptStrategy.HANDOFF;
    }

    /**
     * Sets what the pool runs under the current config: workers (it has services of its own to
     * serve) and a dispatcher (it hands off, or it has services with tenant groups, whose
     * connections its dispatcher classifies onto the instances' lanes; docs/adr/0013).
     */
    void topology(boolean workers, boolean dispatcher) {
        wantsWorkers = workers;
        dispatches = dispatcher;
    }

    /** Whether it runs workers of its own. */
    boolean wantsWorkers() {
        return wantsWorkers;
    }

    /** Whether it runs a dispatcher. */
    boolean dispatches() {
        return dispatches;
    }

    /** Whether a dispatcher of {@code generation} is alive, in whatever phase. */
    boolean hasDispatcher(long generation) {
        return dispatchers.stream().anyMatch(d -> d.generation() == generation);
    }

    /** Whether a dispatcher of {@code generation} is starting or serving. */
    boolean dispatcherServing(long generation) {
        return dispatchers.stream().anyMatch(d -> d.generation() == generation && d.serving());
    }

    /** Whether its connections reach workers of {@code generation}: always, unless its dispatcher is not ready. */
    boolean dispatcherReady(long generation) {
        return !dispatches || dispatchers.stream()
                .anyMatch(d -> d.generation() == generation && d.phase() == WorkerProcess.Phase.READY);
    }

    /** Records that a worker of the pool became ready once: the pool can start. */
    void becameReady() {
        everReady = true;
    }

    /** Whether a worker of the pool has ever been ready since the master started. */
    boolean everReady() {
        return everReady;
    }

    /** Records how the last child of the pool that died before it was asked to leave ended. */
    void lastFailure(String how) {
        lastFailure = how;
    }

    /** How the last child that died ended (its exit status, and its reason if it gave one); empty if none died. */
    String lastFailure() {
        return lastFailure;
    }

    /** Marks the pool as gone from the config: its workers drain and none is replaced. */
    void remove() {
        removed = true;
    }

    boolean removed() {
        return removed;
    }

    /** Workers of {@code generation} that are starting or serving. */
    List<WorkerProcess> serving(long generation) {
        return workers.stream().filter(w -> w.generation() == generation && w.serving()).toList();
    }

    /** How many of {@code generation} are ready. */
    long ready(long generation) {
        return workers.stream()
                .filter(w -> w.generation() == generation && w.phase() == WorkerProcess.Phase.READY).count();
    }

    /** The smallest id from 1 that no serving worker of {@code generation} has. */
    int freeId(long generation) {
        List<WorkerProcess> current = serving(generation);
        for (int id = 1; ; id++) {
            final int candidate = id;
            if (current.stream().noneMatch(w -> w.id() == candidate)) {
                return id;
            }
        }
    }

    /** Its spares: started, waiting to be promoted. */
    List<WorkerProcess> spares() {
        return workers.stream().filter(w -> w.phase() == WorkerProcess.Phase.SPARE).toList();
    }

    /** Whether any worker of the pool is starting: a spare waits for it, not to compete for the CPU. */
    boolean starting() {
        return workers.stream().anyMatch(w -> w.phase() == WorkerProcess.Phase.STARTING);
    }

    /** Whether a recycle is under way (a replacement started and its worker not yet draining). */
    boolean recycling() {
        return workers.stream().anyMatch(w -> w.replacementStarted() && w.phase() == WorkerProcess.Phase.READY);
    }
}
