package dev.berth.posix;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** The stat of a real child process through its life: sleeping, stopped, continued, exited. */
class ProcStatTest {

    @Test
    void aChildIsSeenSleepingThenStoppedThenContinuedThenGone() throws Exception {
        Process child = new ProcessBuilder("sleep", "30").start();
        try {
            long pid = child.pid();
            ProcStat sleeping = await(pid, s -> s.state() == 'S');
            assertThat(sleeping.stopped()).isFalse();
            assertThat(sleeping.exited()).isFalse();
            assertThat(sleeping.start()).isPositive();

            assertThat(Processes.signal(pid, Processes.SIGSTOP)).isTrue();
            ProcStat stopped = await(pid, ProcStat::stopped);
            assertThat(stopped.state()).isEqualTo('T');
            assertThat(stopped.start()).as("the same process").isEqualTo(sleeping.start());

            assertThat(Processes.signal(pid, Processes.SIGCONT)).isTrue();
            await(pid, s -> !s.stopped());

            child.destroyForcibly();
            assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(ProcStat.of(pid)).as("reaped").isEmpty();
        } finally {
            child.destroyForcibly();
        }
    }

    @Test
    void thisProcessRunsAndNoProcessHasNoStat() {
        ProcStat self = ProcStat.of(ProcessHandle.current().pid()).orElseThrow();
        assertThat(self.state()).isIn('R', 'S');
        assertThat(ProcStat.of(Integer.MAX_VALUE)).isEmpty();
    }

    /** The child's stat once it satisfies {@code state}; the kernel applies a signal asynchronously. */
    private static ProcStat await(long pid, Predicate<ProcStat> state) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        Optional<ProcStat> stat = ProcStat.of(pid);
        while (stat.filter(state).isEmpty() && System.nanoTime() - deadline < 0) {
            Thread.onSpinWait();
            stat = ProcStat.of(pid);
        }
        return stat.filter(state).orElseThrow(() -> new AssertionError("pid " + pid + " stays " + ProcStat.of(pid)));
    }
}
