package dev.berth.posix;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Wakes a platform thread out of a blocking system call made through FFM ({@code accept},
 * {@code recv}, {@code poll}), so that a thread can wait for an event without a timeout and still
 * notice that it should stop: the call returns {@code EINTR} and the thread looks at its flag.
 *
 * <p>The wake-up is the one the JDK uses to interrupt its own blocking NIO operations: {@code
 * tgkill} of the thread with signal {@code __SIGRTMAX - 2} (62), whose handler the JDK installs
 * doing nothing and without {@code SA_RESTART} ({@code sun.nio.ch.NativeThread}). This class makes
 * the JDK install it, and checks that it is there before it ever sends the signal: the default
 * action of a real-time signal ends the process. Where it is not there, {@link #canWake} says so
 * and the caller must keep a bounded wait.
 *
 * <p>Usage: the blocking thread records itself ({@link #current}) before its first blocking call;
 * the stopping thread sets the flag the blocking thread checks after each call, then {@link
 * #joinWaking}s it: a signal that arrives just before the thread blocks is lost, so it is sent again
 * every {@code every} until the thread has ended.
 */
public final class BlockedThread {

    /** The JDK's interrupt signal on Linux: {@code __SIGRTMAX - 2}, with the kernel's 64 real-time limit. */
    static final int SIGNAL = 64 - 2;

    /** Whether the JDK's handler is installed: checked at the first wake-up, not at start-up. */
    private static final class Handler {
        static final boolean INSTALLED = installed();
    }

    private final int pid;
    private final int tid;
    private final Thread thread;

    private BlockedThread(int pid, int tid, Thread thread) {
        this.pid = pid;
        this.tid = tid;
        this.thread = thread;
    }

    /**
     * The calling thread, to be woken later by another. Its kernel thread id is read from {@code
     * /proc/thread-self} (no system call to link at a worker's start).
     *
     * @throws java.io.UncheckedIOException when /proc is not mounted
     */
    public static BlockedThread current() {
        try {
            // "PID/task/TID"
            String[] link = Files.readSymbolicLink(Path.of("/proc/thread-self")).toString().split("/");
            return new BlockedThread(Integer.parseInt(link[0]), Integer.parseInt(link[2]), Thread.currentThread());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/thread-self", e);
        }
    }

    /** Whether a wake-up can be sent in this JVM (the JDK's handler is installed). */
    public static boolean canWake() {
        return Handler.INSTALLED;
    }

    /**
     * Interrupts the thread's blocking call, if it is in one; does nothing once the thread ended or
     * when {@link #canWake} is false.
     */
    public void wake() {
        if (!thread.isAlive() || !canWake()) {
            return;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.callState(arena);
            if ((int) Native.Tgkill.HANDLE.invokeExact(state, pid, tid, SIGNAL) != 0 && Native.errno(state) != Processes.ESRCH) {
                throw Native.failure("tgkill(" + pid + ", " + tid + ")", state);
            }
        } catch (Throwable e) {
            throw Native.unexpected(e);
        }
    }

    /**
     * Waits for {@code thread} to end, waking it every {@code every} meanwhile (a wake-up sent just
     * before it blocked would be lost). The caller has already told the thread to stop.
     *
     * @param recorded what the thread recorded of itself ({@link #current}); null until it has
     */
    public static void joinWaking(Thread thread, Supplier<BlockedThread> recorded, Duration every)
            throws InterruptedException {
        while (thread.isAlive()) {
            BlockedThread blocked = recorded.get();
            if (blocked != null) {
                blocked.wake();
            }
            thread.join(every);
        }
    }

    /** Makes the JDK install its handler, then checks that a handler (not the default, not ignore) is there. */
    private static boolean installed() {
        try {
            Class.forName("sun.nio.ch.NativeThread", true, ClassLoader.getSystemClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
        try {
            long handler = Processes.handler(SIGNAL);
            return handler != Processes.SIG_DFL && handler != Processes.SIG_IGN;
        } catch (PosixException e) {
            return false;
        }
    }
}
