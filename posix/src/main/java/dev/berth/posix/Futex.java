package dev.berth.posix;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Linux {@code futex(2)} on a 32-bit word of shared memory, through {@code syscall(SYS_futex)}.
 * The word must lie in a {@code MAP_SHARED} file mapping (not process-private), so that a waiter
 * in one process is woken by a waker in another: the operations are the shared ones (no
 * {@code FUTEX_PRIVATE_FLAG}). Thread-safe; {@link #await} blocks the calling thread.
 *
 * <p>Callers pair it with a waiter flag so that the waking side makes the system call only when
 * someone announced it sleeps (see the mesh slot protocol).
 */
public final class Futex {

    /** The system call number: 202 on x86_64, 98 on aarch64 (the two architectures berth runs on). */
    private static final long SYS_FUTEX = System.getProperty("os.arch").equals("aarch64") ? 98 : 202;
    private static final long FUTEX_WAIT = 0;
    private static final long FUTEX_WAKE = 1;

    private static final MethodHandle SYSCALL;

    static {
        Linker linker = Linker.nativeLinker();
        SYSCALL = linker.downcallHandle(linker.defaultLookup().find("syscall").orElseThrow(),
                FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG),
                Linker.Option.firstVariadicArg(1));
    }

    private Futex() {
    }

    /**
     * Sleeps while the word still holds {@code expected}, for at most {@code timeoutNanos}.
     * Returns at once when the word holds another value; may return early (a wake, a signal, a
     * spurious wake-up): the caller re-checks its condition in every case.
     *
     * @param word a 4-byte aligned segment of a shared mapping, at least 4 bytes long
     * @param expected the value the caller saw meaning "I am asleep"
     * @param timeoutNanos the longest sleep, positive
     */
    public static void await(MemorySegment word, int expected, long timeoutNanos) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment timeout = arena.allocate(16, 8);
            timeout.set(JAVA_LONG, 0, timeoutNanos / 1_000_000_000L);
            timeout.set(JAVA_LONG, 8, timeoutNanos % 1_000_000_000L);
            long ignored = (long) SYSCALL.invokeExact(SYS_FUTEX, word, FUTEX_WAIT, (long) expected, timeout,
                    MemorySegment.NULL, 0L);
        } catch (Throwable e) {
            throw Native.unexpected(e);
        }
    }

    /**
     * Wakes up to {@code count} sleepers on the word.
     *
     * @return how many were woken (0 when none slept)
     */
    public static int wake(MemorySegment word, int count) {
        try {
            return (int) (long) SYSCALL.invokeExact(SYS_FUTEX, word, FUTEX_WAKE, (long) count, MemorySegment.NULL,
                    MemorySegment.NULL, 0L);
        } catch (Throwable e) {
            throw Native.unexpected(e);
        }
    }
}
