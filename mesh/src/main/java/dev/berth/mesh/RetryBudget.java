package dev.berth.mesh;

/**
 * Finagle's retry budget: every call deposits {@value #RATIO} of a retry, every retry withdraws
 * one, so retries stay within 20 % of calls; a small reserve lets the first failures of a quiet
 * group retry. Thread-safe.
 */
final class RetryBudget {

    static final double RATIO = 0.2;
    static final double RESERVE = 10;
    private static final double CAP = 100;

    private double balance = RESERVE;

    /** An original call was made. */
    synchronized void deposit() {
        balance = Math.min(CAP, balance + RATIO);
    }

    /** Takes one retry if the budget has it. */
    synchronized boolean withdraw() {
        if (balance < 1) {
            return false;
        }
        balance -= 1;
        return true;
    }

    synchronized double balance() {
        return balance;
    }
}
