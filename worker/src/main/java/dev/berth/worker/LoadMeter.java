package dev.berth.worker;

import dev.berth.scoreboard.WorkerSlot;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;

/**
 * Measures how busy the worker's event loops are: the CPU time their threads used over the last
 * interval, as a share of the interval times the number of loops, written to the slot per mille
 * for the master's pool sizing. {@link #sample} runs on one event loop every
 * {@value #PERIOD_MS} ms; nothing else touches this object.
 */
final class LoadMeter {

    static final long PERIOD_MS = 1000;

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final List<Thread> loops;
    private final WorkerSlot slot;
    private long lastCpu;
    private long lastWall;

    LoadMeter(List<Thread> loops, WorkerSlot slot) {
        this.loops = List.copyOf(loops);
        this.slot = slot;
        this.lastCpu = cpu();
        this.lastWall = System.nanoTime();
    }

    void sample() {
        long cpu = cpu();
        long wall = System.nanoTime();
        long elapsed = (wall - lastWall) * loops.size();
        if (elapsed > 0) {
            slot.load((int) (1000 * (cpu - lastCpu) / elapsed));
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
