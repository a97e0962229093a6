package dev.berth.posix;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What {@code /proc/PID/stat} says of a process: its scheduling state and its start time. One
 * read of a small file (~10 µs); meant for a judgment made now and then, not for polling.
 *
 * @param state the state letter: R running, S sleeping, D disk sleep, T stopped, t traced, Z zombie, X dead
 * @param start field 22, the start time in clock ticks since boot; with the pid it names one process
 */
public record ProcStat(char state, long start) {

    /** The process's stat now, or empty when there is no such process (or its stat is unreadable). */
    public static Optional<ProcStat> of(long pid) {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        } catch (IOException e) {
            return Optional.empty();
        }
        // "pid (comm) state ...": comm may hold spaces and parentheses, so split after the last ')'
        int close = stat.lastIndexOf(')');
        String[] fields = close < 0 ? new String[0] : stat.substring(close + 1).trim().split(" ");
        if (fields.length < 20 || fields[0].length() != 1) {
            return Optional.empty();
        }
        try {
            return Optional.of(new ProcStat(fields[0].charAt(0), Long.parseLong(fields[19])));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Stopped by a signal (SIGSTOP, SIGTSTP) or by a tracer: it runs no code until continued. */
    public boolean stopped() {
        return state == 'T' || state == 't';
    }

    /** Exited: a zombie not yet reaped, or dead. */
    public boolean exited() {
        return state == 'Z' || state == 'X';
    }
}
