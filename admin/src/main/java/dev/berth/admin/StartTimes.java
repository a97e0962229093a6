package dev.berth.admin;

import java.util.Arrays;

/**
 * How long children took from spawn to ready ({@code berth_worker_start_seconds}), in fixed
 * buckets. Fed on the supervisor thread, read on the admin thread: thread-safe, never blocks for
 * longer than a copy of a dozen longs.
 */
final class StartTimes {

    /** Upper bounds in seconds, without +Inf: a JVM starts in a few hundred milliseconds. */
    static final double[] BOUNDS = {0.1, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10, 30};

    private final long[] counts = new long[BOUNDS.length + 1];
    private long sumMillis;

    /** Records one start of {@code millis} milliseconds. */
    synchronized void observe(long millis) {
        int bucket = 0;
        while (bucket < BOUNDS.length && millis > BOUNDS[bucket] * 1000) {
            bucket++;
        }
        counts[bucket]++;
        sumMillis += millis;
    }

    /** Non-cumulative counts per bucket, the last for +Inf. */
    synchronized long[] counts() {
        return Arrays.copyOf(counts, counts.length);
    }

    /** The sum of every start, in seconds. */
    synchronized double sumSeconds() {
        return sumMillis / 1000.0;
    }
}
