package dev.berth.mesh;

import dev.berth.posix.ProcStat;
import java.util.Optional;

/**
 * Whether a slot's owner still lives: its pid exists, is not a zombie, and started when the owner
 * said (so a recycled pid is not mistaken for the owner). Reads {@code /proc/PID/stat}; thread-safe.
 */
final class Liveness {

    private Liveness() {
    }

    /** This process's start time: field 22 of /proc/self/stat, in clock ticks since boot. */
    static long selfStart() {
        return ProcStat.of(ProcessHandle.current().pid()).map(ProcStat::start).orElse(0L);
    }

    /** Whether process {@code pid} that started at {@code start} (0: unknown) is still running. */
    static boolean alive(long pid, long start) {
        Optional<ProcStat> stat = ProcStat.of(pid);
        return stat.isPresent() && !stat.get().exited() && (start == 0 || stat.get().start() == start);
    }

    /** Whether the slot has an owner and that owner is gone. */
    static boolean ownerDead(Slot slot) {
        long owner = slot.owner();
        return owner != 0 && !alive(owner, slot.ownerStart());
    }
}
