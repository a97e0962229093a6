package dev.berth.maildir;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Lets password verifications run only while the memory they need is free: Argon2 with Dovecot's
 * default {@code m=65536} needs 64 MiB per check, so a handful of wrong guesses at once would
 * otherwise exhaust a worker's heap and take every session of the worker down with it.
 *
 * <pre>
 *   admit(bytes) --waiting &gt; maxWaiting--&gt; empty (busy, at once)
 *        |-- bytes of the budget (first come, first served), then a CPU slot (one per
 *        |     core), within the timeout --&gt; Permit (close it after the check)
 *        \-- not within the timeout --&gt; empty (busy)
 * </pre>
 *
 * A check that needs more than the whole budget can never run ({@link #fits}); the users file
 * says so when it is loaded. The budget of {@link #forThisProcess()} is three quarters of the
 * heap, which lets one 64 MiB Argon2 check run in a 96 MiB heap (measured: two do not).
 *
 * <p>Thread-safe; {@link #admit} blocks up to the timeout (call it off any event loop).
 */
final class HashAdmission {

    private static final class Shared {
        static final HashAdmission INSTANCE = new HashAdmission(Runtime.getRuntime().maxMemory() / 4 * 3,
                Math.max(1, Runtime.getRuntime().availableProcessors()), 64, Duration.ofSeconds(10));
    }

    private final long budgetKiB;
    private final Semaphore memory;
    private final Semaphore cpu;
    private final int maxWaiting;
    private final AtomicInteger waiting = new AtomicInteger();
    private final Duration timeout;

    /**
     * @param budget bytes that checks may hold at once
     * @param concurrent checks at once (CPU)
     * @param maxWaiting checks that may wait; more are busy at once
     * @param timeout how long one check waits at most
     */
    HashAdmission(long budget, int concurrent, int maxWaiting, Duration timeout) {
        this.budgetKiB = Math.min(Integer.MAX_VALUE, Math.max(1, budget / 1024));
        this.memory = new Semaphore((int) budgetKiB, true);
        this.cpu = new Semaphore(concurrent, true);
        this.maxWaiting = maxWaiting;
        this.timeout = timeout;
    }

    /** The admission of this JVM, sized from its heap; every users file of the process shares it. */
    static HashAdmission forThisProcess() {
        return Shared.INSTANCE;
    }

    /** Whether a check needing {@code bytes} can ever be admitted. */
    boolean fits(long bytes) {
        return kib(bytes) <= budgetKiB;
    }

    /** How many checks wait now. */
    int waiting() {
        return waiting.get();
    }

    /** The budget, in bytes. */
    long budget() {
        return budgetKiB * 1024;
    }

    /** A check held open; closing it gives its memory and CPU slot back. Idempotent. */
    interface Permit extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Waits for the memory and a CPU slot for one check; empty when the check never fits, too
     * many wait already, or the timeout passes (or the thread is interrupted, flag kept).
     */
    Optional<Permit> admit(long bytes) {
        if (!fits(bytes)) {
            return Optional.empty();
        }
        if (waiting.incrementAndGet() > maxWaiting) {
            waiting.decrementAndGet();
            return Optional.empty();
        }
        int kib = (int) kib(bytes);
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            if (!memory.tryAcquire(kib, timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                return Optional.empty();
            }
            if (!cpu.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                memory.release(kib);
                return Optional.empty();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            waiting.decrementAndGet();
        }
        AtomicInteger open = new AtomicInteger(1);
        return Optional.of(() -> {
            if (open.getAndSet(0) == 1) {
                memory.release(kib);
                cpu.release();
            }
        });
    }

    private static long kib(long bytes) {
        return Math.max(1, (bytes + 1023) / 1024);
    }
}
