package dev.berth.master;

import dev.berth.config.WorkerCount;
import java.util.function.LongSupplier;

/**
 * How many workers a pool with {@code workers: {min, max, start}} should have, from the load its
 * workers report (the busy share of their event loops, per mille). Pure logic over an injected
 * monotonic clock in milliseconds; owned by the supervisor thread.
 *
 * <ul>
 *   <li>Grow: average load above {@value #HIGH}‰ for {@value #GROW_AFTER_MS} ms adds 1 worker,
 *       then 2, 4, … at most once per {@value #STEP_MS} ms while it stays high (Apache's and
 *       PHP-FPM's ramp), up to max.</li>
 *   <li>Shrink: average load below {@value #LOW}‰ for {@value #SHRINK_AFTER_MS} ms removes one
 *       worker per {@value #STEP_MS} ms, down to min.</li>
 * </ul>
 */
final class PoolSizer {

    static final int HIGH = 750;
    static final int LOW = 250;
    static final long GROW_AFTER_MS = 2_000;
    static final long SHRINK_AFTER_MS = 10_000;
    static final long STEP_MS = 1_000;

    private final WorkerCount bounds;
    private final LongSupplier clock;
    private int target;
    private long highSince = -1;
    private long lowSince = -1;
    private long lastStep = Long.MIN_VALUE / 2;
    private int ramp = 1;
    private String reason;

    PoolSizer(WorkerCount bounds, LongSupplier clock) {
        this.bounds = bounds;
        this.clock = clock;
        this.target = bounds.start();
        this.reason = "started with " + bounds.start();
    }

    /**
     * Takes the pool's current average load and returns the size it should have now.
     *
     * @param loadPerMille average busy share of the pool's ready workers
     */
    int target(int loadPerMille) {
        long now = clock.getAsLong();
        if (loadPerMille > HIGH) {
            lowSince = -1;
            highSince = highSince < 0 ? now : highSince;
            if (now - highSince >= GROW_AFTER_MS && now - lastStep >= STEP_MS && target < bounds.max()) {
                int next = Math.min(bounds.max(), target + ramp);
                reason = "load " + loadPerMille + "‰ above " + HIGH + "‰ for " + (now - highSince)
                        + " ms: growing from " + target + " to " + next;
                target = next;
                ramp *= 2;
                lastStep = now;
            }
        } else if (loadPerMille < LOW) {
            highSince = -1;
            ramp = 1;
            lowSince = lowSince < 0 ? now : lowSince;
            if (now - lowSince >= SHRINK_AFTER_MS && now - lastStep >= STEP_MS && target > bounds.min()) {
                reason = "load " + loadPerMille + "‰ below " + LOW + "‰ for " + (now - lowSince)
                        + " ms: shrinking from " + target + " to " + (target - 1);
                target--;
                lastStep = now;
            }
        } else {
            highSince = -1;
            lowSince = -1;
            ramp = 1;
        }
        return target;
    }

    /** The size last decided. */
    int target() {
        return target;
    }

    /** Why the pool has its current size, for status and logs. */
    String reason() {
        return reason;
    }
}
