package dev.berth.mesh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether a slot's owner still lives: its pid exists, is not a zombie, and started when the owner
 * said (so a recycled pid is not mistaken for the owner). Reads {@code /proc/PID/stat}; thread-safe.
 */
final class Liveness {

    private Liveness() {
    }

    /** This process's start time: field 22 of /proc/self/stat, in clock ticks since boot. */
    static long selfStart() {
        long start = start(ProcessHandle.current().pid());
        return start < 0 ? 0 : start;
    }

    /** Whether process {@code pid} that started at {@code start} (0: unknown) is still running. */
    static boolean alive(long pid, long start) {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        } catch (IOException e) {
            return false;
        }
        String[] fields = afterName(stat);
        if (fields.length < 20 || fields[0].equals("Z") || fields[0].equals("X")) {
            return false;
        }
        return start == 0 || Long.parseLong(fields[19]) == start;
    }

    /** Whether the slot has an owner and that owner is gone. */
    static boolean ownerDead(Slot slot) {
        long owner = slot.owner();
        return owner != 0 && !alive(owner, slot.ownerStart());
    }

    private static long start(long pid) {
        try {
            String[] fields = afterName(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
            return fields.length < 20 ? -1 : Long.parseLong(fields[19]);
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    /** The fields after "pid (comm) ", starting with the state; comm may hold spaces and parentheses. */
    private static String[] afterName(String stat) {
        int close = stat.lastIndexOf(')');
        return close < 0 ? new String[0] : stat.substring(close + 1).trim().split(" ");
    }
}
