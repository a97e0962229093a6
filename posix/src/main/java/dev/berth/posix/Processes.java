package dev.berth.posix;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** Signals and identity of processes. Thread-safe; nothing blocks. */
public final class Processes {

    /** SIGQUIT: a JVM prints a thread dump to its stdout and goes on. */
    public static final int SIGQUIT = 3;
    /** SIGKILL. */
    public static final int SIGKILL = 9;
    /** SIGTERM. */
    public static final int SIGTERM = 15;
    /** SIGCONT. */
    public static final int SIGCONT = 18;
    /** SIGSTOP. */
    public static final int SIGSTOP = 19;

    private static final int ESRCH = 3;

    private Processes() {
    }

    /**
     * Sends a signal.
     *
     * @return false when the process no longer exists (ESRCH), true when the signal was sent
     * @throws PosixException on any other failure (EPERM)
     */
    public static boolean signal(long pid, int signal) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.callState(arena);
            if ((int) Native.KILL.invokeExact(state, Math.toIntExact(pid), signal) == 0) {
                return true;
            }
            if (Native.errno(state) == ESRCH) {
                return false;
            }
            throw Native.failure("kill(" + pid + ", " + signal + ")", state);
        } catch (Throwable e) {
            throw Native.unexpected(e);
        }
    }

    /** The effective user id of this process (0 for root). */
    public static int effectiveUid() {
        try {
            return (int) Native.GETEUID.invokeExact();
        } catch (Throwable e) {
            throw Native.unexpected(e);
        }
    }
}
