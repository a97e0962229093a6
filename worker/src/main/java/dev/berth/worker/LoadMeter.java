package dev.berth.worker;

import dev.berth.scoreboard.WorkerSlot;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Measures how busy the worker's event loops are: the CPU time their threads used over the last
 * interval, as a share of the interval times the number of loops, written to the slot per mille
 * for the master's pool sizing. {@link #sampleIfDue} runs on one event loop, in its heartbeat
 * task, and samples once at least {@value #PERIOD_MS} ms have passed; nothing else touches this
 * object.
 */
final class LoadMeter {

    static final long PERIOD_MS = 1000;

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final List<Thread> loops;
    private final WorkerSlot slot;
    private final LongSupplier clock;
    private long lastCpu;
    private long lastWall;

    /**
     * @param clock monotonic milliseconds
     */
    LoadMeter(List<Thread> loops, WorkerSlot slot, LongSupplier clock) {
        this.loops = List.copyOf(loops);
        this.slot = slot;
        this.clock = clock;
        this.lastCpu = cpu();
        this.lastWall = clock.getAsLong();
    }

    /** Samples when at least {@value #PERIOD_MS} ms passed since the last sample. */
    void sampleIfDue() {
        if (clock.getAsLong() - lastWall >= PERIOD_MS) {
            sample();
        }
    }

    void sample() {
        long cpu = cpu();
        long wall = clock.getAsLong();
        long elapsedNanos = (wall - lastWall) * 1_000_000L * loops.size();
        if (elapsedNanos > 0) {
            slot.load((int) (1000 * (cpu - lastCpu) / elapsedNanos));
        }
        lastCpu = cpu;
        lastWall = wall;
    }

    private long cpu() {
        long total = 0;
        for (Thread t : loops) {
            long ns = threads.getThreadCpuTime(t.threadId());
            total += Math.max(0, ns);
        }
        return total;
    }
}
