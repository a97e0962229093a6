package dev.berth.smtp;

import java.util.concurrent.TimeUnit;

/** Bounded waits for the tests (the real peers themselves are started by dev.berth.testpeers). */
final class Processes {

    private Processes() {
    }

    /** Polls a condition every 10 ms until it holds, for at most 10 s; fails the test otherwise. */
    static void await(String what, java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }
}
