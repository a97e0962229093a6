package dev.berth.mesh;

import dev.berth.posix.Futex;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.util.function.BooleanSupplier;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * The waiter-word protocol that replaces the seed's mark devices' signalling: a reader that found
 * nothing to do spins for a bounded budget, then announces it sleeps (word = 1), checks once more,
 * and sleeps on a futex; a writer that published a record looks at the word and makes the wake-up
 * system call only when it reads 1. Busy paths make no system call; idle readers use no CPU.
 *
 * <pre>
 *   reader                                writer
 *   word := 1            (volatile)       publish record (release)
 *   if work: word := 0, go on             full fence
 *   futex_wait(word, 1, timeout)          if word == 1 and CAS(word, 1, 0): futex_wake(word)
 *   word := 0
 * </pre>
 *
 * The two volatile accesses with a fence on each side cannot both miss each other, so a record is
 * never left unseen by a sleeping reader. Thread-safe; {@link #sleep} blocks.
 */
final class Wakeup {

    private static final VarHandle INT = JAVA_INT.varHandle();

    private Wakeup() {
    }

    /**
     * Reader: sleeps on {@code word} unless {@code hasWork} turns true once the sleep is announced.
     *
     * @param timeoutNanos the longest sleep (so that the reader can stamp its heartbeat)
     */
    static void sleep(MemorySegment word, BooleanSupplier hasWork, long timeoutNanos) {
        INT.setVolatile(word, 0L, 1);
        try {
            if (!hasWork.getAsBoolean()) {
                Futex.await(word, 1, timeoutNanos);
            }
        } finally {
            INT.setVolatile(word, 0L, 0);
        }
    }

    /**
     * Writer: wakes the reader sleeping on {@code word}, if one announced it sleeps. Call after the
     * record is published.
     *
     * @return whether a system call was made
     */
    static boolean wake(MemorySegment word) {
        VarHandle.fullFence();
        if ((int) INT.getVolatile(word, 0L) == 1 && INT.compareAndSet(word, 0L, 1, 0)) {
            Futex.wake(word, Integer.MAX_VALUE);
            return true;
        }
        return false;
    }
}
