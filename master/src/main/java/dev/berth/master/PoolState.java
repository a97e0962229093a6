package dev.berth.master;

import dev.berth.config.PoolConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * One pool as the supervisor tracks it: its current config, its workers of every generation still
 * alive, and its restart policy. Owned by the supervisor thread.
 */
final class PoolState {

    private PoolConfig config;
    private final RestartPolicy restarts;
    private final LongSupplier clock;
    private PoolSizer sizer;
    private final List<WorkerProcess> workers = new ArrayList<>();
    private boolean removed;

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

    List<WorkerProcess> workers() {
        return workers;
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

    /** Whether a recycle is under way (a replacement started and its worker not yet draining). */
    boolean recycling() {
        return workers.stream().anyMatch(w -> w.replacementStarted() && w.phase() == WorkerProcess.Phase.READY);
    }
}
