package dev.berth.testpeers;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Bounded waits on a condition, the only way tests wait: the condition is polled on the calling
 * thread (which blocks) every {@code interval} until it holds or the timeout passes. An interrupt
 * ends the wait early with the interrupt flag kept.
 */
public final class Await {

    /** The poll interval of {@link #require}. */
    public static final Duration INTERVAL = Duration.ofMillis(20);

    private Await() {
    }

    /**
     * Polls until {@code condition} holds or {@code timeout} has passed.
     *
     * @return whether the condition held
     */
    public static boolean until(Duration timeout, Duration interval, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline || Thread.currentThread().isInterrupted()) {
                return false;
            }
            LockSupport.parkNanos(interval.toNanos());
        }
        return true;
    }

    /**
     * Polls every {@link #INTERVAL} until {@code condition} holds.
     *
     * @throws AssertionError naming {@code what} when it does not hold within {@code timeout}
     */
    public static void require(String what, Duration timeout, BooleanSupplier condition) {
        if (!until(timeout, INTERVAL, condition)) {
            throw new AssertionError("not " + what + " within " + timeout);
        }
    }
}
