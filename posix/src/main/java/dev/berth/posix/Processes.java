package dev.berth.posix;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/** Signals and identity of processes. Thread-safe; nothing blocks. */
public final class Processes {

    /** SIGHUP. */
    public static final int SIGHUP = 1;
    /** SIGINT. */
    public static final int SIGINT = 2;
    /** SIGQUIT: a JVM prints a thread dump to its stdout and goes on. */
    public static final int SIGQUIT = 3;
    /** SIGKILL. */
    public static final int SIGKILL = 9;
    /** SIGTERM. */
    public static final int SIGTERM = 15;
    /** SIGUSR1. */
    public static final int SIGUSR1 = 10;
    /** SIGCONT. */
    public static final int SIGCONT = 18;
    /** SIGSTOP. */
    public static final int SIGSTOP = 19;

    /** errno: no such process (or thread). */
    static final int ESRCH = 3;
    /** {@code struct sigaction} of glibc on x86_64 and aarch64: handler, 128-byte mask, flags, restorer. */
    private static final long SIGACTION_SIZE = 152;
    static final long SIG_DFL = 0;
    static final long SIG_IGN = 1;

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
            if ((int) Native.Kill.HANDLE.invokeExact(state, Math.toIntExact(pid), signal) == 0) {
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
            return (int) Native.Geteuid.HANDLE.invokeExact();
        } catch (Throwable e) {
            throw Native.unexpected(e);
        }
    }

    /**
     * Gives back their default action to those of {@code signals} that this process ignores, and
     * leaves the others (default or handled) as they are. A JVM leaves a signal that was ignored
     * when it started ignored: {@code Signal.handle} succeeds, but its handler never runs. A
     * master started under {@code nohup} (SIGHUP) or as a background job of a script (SIGINT,
     * SIGQUIT) would then not reload on SIGHUP or stop on SIGINT, and its children would inherit
     * the ignoring. Call before {@code Signal.handle}.
     *
     * @return those of {@code signals} that were ignored
     * @throws PosixException if a signal number is invalid
     */
    public static List<Integer> unignore(int... signals) {
        List<Integer> were = new ArrayList<>();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.callState(arena);
            MemorySegment byDefault = arena.allocate(SIGACTION_SIZE, 8);
            for (int signal : signals) {
                if (handler(signal) == SIG_IGN) {
                    if ((int) Native.Sigaction.HANDLE.invokeExact(state, signal, byDefault, MemorySegment.NULL) != 0) {
                        throw Native.failure("sigaction(" + signal + ", SIG_DFL)", state);
                    }
                    were.add(signal);
                }
            }
        } catch (Throwable e) {
            throw Native.unexpected(e);
        }
        return were;
    }

    /**
     * The disposition of {@code signal} in this process: {@link #SIG_DFL}, {@link #SIG_IGN}, or the
     * address of a handler.
     *
     * @throws PosixException if the signal number is invalid
     */
    static long handler(int signal) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.callState(arena);
            MemorySegment current = arena.allocate(SIGACTION_SIZE, 8);
            if ((int) Native.Sigaction.HANDLE.invokeExact(state, signal, MemorySegment.NULL, current) != 0) {
                throw Native.failure("sigaction(" + signal + ")", state);
            }
            return current.get(java.lang.foreign.ValueLayout.JAVA_LONG, 0);
        } catch (Throwable e) {
            throw Native.unexpected(e);
        }
    }

    /** The name of a signal this class names, such as {@code SIGHUP}; else {@code signal N}. */
    public static String name(int signal) {
        return switch (signal) {
            case SIGHUP -> "SIGHUP";
            case SIGINT -> "SIGINT";
            case SIGQUIT -> "SIGQUIT";
            case SIGKILL -> "SIGKILL";
            case SIGUSR1 -> "SIGUSR1";
            case SIGTERM -> "SIGTERM";
            case SIGCONT -> "SIGCONT";
            case SIGSTOP -> "SIGSTOP";
            default -> "signal " + signal;
        };
    }
}
