package dev.berth.master;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.LongSupplier;

/**
 * When a pool may start a replacement for a worker that died, and whether the pool is in a crash
 * loop. Pure logic over an injected monotonic clock in milliseconds (docs/adr/0004).
 *
 * <ul>
 *   <li>Back-off: the first crash after a calm period restarts at once (a worker that died once
 *       says nothing about its replacement, and every millisecond is capacity lost); the second
 *       waits {@value #FIRST_DELAY_MS} ms and each further crash doubles the delay, up to
 *       {@value #MAX_DELAY_MS} ms.</li>
 *   <li>Calm: a crash more than {@value #CALM_MS} ms after the previous one starts over.</li>
 *   <li>Empty: when the dead worker had become ready and the pool has no ready worker left, its
 *       replacement starts at once whatever the back-off says. The back-off is for workers that
 *       cannot start; these could, and a pool with none is the worst place to wait in (the soak of
 *       issue 11 lost connections to a 10 s back-off after two outside kills of ready workers).
 *       The death still counts toward the next delays and the crash loop.</li>
 *   <li>Throttled: {@value #LOOP_CRASHES} or more crashes within {@value #LOOP_WINDOW_MS} ms. A
 *       throttled pool still restarts, at the longest delay: it is never disabled for good.</li>
 * </ul>
 *
 * <p>Owned by the supervisor thread; not thread-safe.
 */
final class RestartPolicy {

    static final long FIRST_DELAY_MS = 100;
    static final long MAX_DELAY_MS = 10_000;
    static final long CALM_MS = 10_000;
    static final long LOOP_WINDOW_MS = 30_000;
    static final int LOOP_CRASHES = 5;

    private final LongSupplier clock;
    private final Deque<Long> recentCrashes = new ArrayDeque<>();
    private int consecutive;
    private long lastCrash = Long.MIN_VALUE / 2;
    private long notBefore = Long.MIN_VALUE / 2;
    private long total;

    RestartPolicy(LongSupplier clock) {
        this.clock = clock;
    }

    /**
     * Records a crash (or a hang kill, or a failed start) now.
     *
     * @return the delay in ms before a replacement may start
     */
    long crashed() {
        return crashed(false);
    }

    /**
     * Records a crash (or a hang kill) now.
     *
     * @param emptied the dead worker had been ready and no ready worker is left in its pool
     * @return the delay in ms before a replacement may start: 0 when {@code emptied}
     */
    long crashed(boolean emptied) {
        long now = clock.getAsLong();
        consecutive = now - lastCrash > CALM_MS ? 1 : consecutive + 1;
        lastCrash = now;
        total++;
        recentCrashes.addLast(now);
        long delay = consecutive == 1 || emptied ? 0 : Math.min(MAX_DELAY_MS, FIRST_DELAY_MS << Math.min(20, consecutive - 2));
        notBefore = now + delay;
        return delay;
    }

    /** Whether a replacement may start now. */
    boolean mayStart() {
        return clock.getAsLong() >= notBefore;
    }

    /** Milliseconds until a replacement may start; 0 when it may now. */
    long waitMillis() {
        return Math.max(0, notBefore - clock.getAsLong());
    }

    /** Whether the pool is in a crash loop now. */
    boolean throttled() {
        long now = clock.getAsLong();
        while (!recentCrashes.isEmpty() && now - recentCrashes.peekFirst() > LOOP_WINDOW_MS) {
            recentCrashes.removeFirst();
        }
        return recentCrashes.size() >= LOOP_CRASHES;
    }

    /** Crashes and hang kills since the master started. */
    long total() {
        return total;
    }
}
