package dev.berth.master;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.config.AcceptStrategy;
import dev.berth.config.PoolConfig;
import dev.berth.config.WorkerCount;
import dev.berth.scoreboard.Scoreboard;
import dev.berth.scoreboard.WorkerSlot;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ChildWatch against real processes (sh and sleep) and a real scoreboard, on a clock moved by hand. */
class ChildWatchTest {

    private static final long HANG_MS = 2_000;
    private static final long DRAIN_MS = 1_000;

    @TempDir
    Path dir;

    private final AtomicLong now = new AtomicLong(50_000);
    private final List<Process> started = new ArrayList<>();
    private Scoreboard scoreboard;
    private Listeners listeners;
    private ChildWatch watch;
    private PoolState pool;

    @BeforeEach
    void setUp() {
        scoreboard = Scoreboard.create(dir.resolve("scoreboard"), 4);
        listeners = new Listeners();
        DispatchSockets dispatchSockets = new DispatchSockets(dir, new ChildUsers(Path.of("/etc/passwd"), false));
        ChildStarter starter = new ChildStarter(new ProcessSupervisor.Children(
                new Spawner(dir.resolve("worker.sock"), dir.resolve("scoreboard"),
                        new ChildUsers(Path.of("/etc/passwd"), false)), dispatchSockets),
                scoreboard, now::get);
        ChildChannels channels = new ChildChannels(starter, new Assignments(listeners, dispatchSockets, c -> {
            throw new AssertionError("no dispatcher is assigned here");
        }),
                () -> {
                    throw new AssertionError("no child says Hello here");
                }, w -> {
                });
        watch = new ChildWatch(starter, channels);
        pool = new PoolState(new PoolConfig("web", new WorkerCount(1, 1, 1), 1, AcceptStrategy.SHARED, 0,
                Duration.ofMillis(HANG_MS), Duration.ofMillis(DRAIN_MS), List.of()), now::get);
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        for (Process p : started) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        listeners.close();
        scoreboard.close();
    }

    @Test
    void hungChildGetsSigquitThenSigkillAfterTheGraceAndCountsAsOneCrash() throws Exception {
        WorkerProcess child = child("trap '' QUIT; echo up; exec sleep 60", WorkerProcess.Phase.READY);
        child.slot().attach(child.pid(), 1);
        child.slot().beat(0, now.get());

        now.addAndGet(HANG_MS);
        assertThat(watch.watch(pool, child, now.get())).as("a heartbeat exactly hang-timeout old").isFalse();
        now.addAndGet(1);
        assertThat(watch.watch(pool, child, now.get())).as("hung").isTrue();
        assertThat(child.phase()).isEqualTo(WorkerProcess.Phase.KILLING);
        assertThat(pool.restarts().total()).isEqualTo(1);
        assertThat(child.process().waitFor(300, TimeUnit.MILLISECONDS)).as("SIGQUIT ignored, still alive").isFalse();

        now.addAndGet(ChildWatch.KILL_GRACE_MS + 1);
        assertThat(watch.watch(pool, child, now.get())).isFalse();
        assertThat(child.process().waitFor(10, TimeUnit.SECONDS)).as("SIGKILLed").isTrue();
        assertThat(child.process().exitValue()).isEqualTo(128 + 9);

        watch.watch(pool, child, now.get());
        assertThat(pool.workers()).isEmpty();
        assertThat(child.slot().token()).as("slot released").isZero();
        assertThat(pool.restarts().total()).as("the kill is not counted again").isEqualTo(1);
    }

    @Test
    void aHeartbeatIsNotJudgedOverTimeTheMasterItselfWasStopped() throws Exception {
        WorkerProcess child = child("echo up; exec sleep 60", WorkerProcess.Phase.READY);
        child.slot().attach(child.pid(), 1);
        child.slot().beat(0, now.get());
        watch.tick(now.get());

        now.addAndGet(HANG_MS * 3);
        watch.tick(now.get());
        assertThat(watch.watch(pool, child, now.get())).as("the whole host was stopped, the master too").isFalse();

        for (long waited = 0; waited <= HANG_MS; waited += 100) {
            now.addAndGet(100);
            watch.tick(now.get());
        }
        assertThat(watch.watch(pool, child, now.get())).as("silent for a hang-timeout the master watched").isTrue();
        assertThat(child.phase()).isEqualTo(WorkerProcess.Phase.KILLING);
    }

    @Test
    void theNextJudgementIsWhenTheOldestHeartbeatWouldBeHung() throws Exception {
        WorkerProcess child = child("echo up; exec sleep 60", WorkerProcess.Phase.READY);
        child.slot().attach(child.pid(), 1);
        watch.tick(now.get());
        assertThat(watch.nextJudgement()).as("nothing watched yet").isEqualTo(Long.MAX_VALUE);

        child.slot().beat(0, now.get() + 250); // an idle loop's appointment
        watch.watch(pool, child, now.get());
        assertThat(watch.nextJudgement()).isEqualTo(now.get() + 250 + HANG_MS + 1);

        now.addAndGet(100);
        watch.tick(now.get());
        child.slot().beat(0, Long.MAX_VALUE); // waiting outside: never judged
        watch.watch(pool, child, now.get());
        assertThat(watch.nextJudgement()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void childThatDiesWhileReadyIsReapedAsACrash() throws Exception {
        WorkerProcess child = child("echo up; exit 3", WorkerProcess.Phase.READY);
        assertThat(child.process().waitFor(10, TimeUnit.SECONDS)).isTrue();

        assertThat(watch.watch(pool, child, now.get())).isFalse();
        assertThat(pool.workers()).isEmpty();
        assertThat(child.slot().token()).isZero();
        assertThat(pool.restarts().total()).isEqualTo(1);
        assertThat(pool.restarts().mayStart()).as("a first crash is replaced at once").isTrue();
    }

    @Test
    void childThatNeverBecomesReadyIsKilledAfterTheStartTimeout() throws Exception {
        WorkerProcess child = child("echo up; exec sleep 60", WorkerProcess.Phase.STARTING);

        assertKilledOnlyAfter(child, ChildWatch.START_TIMEOUT_MS);
        watch.watch(pool, child, now.get());
        assertThat(pool.workers()).isEmpty();
        assertThat(pool.restarts().total()).as("a start that failed is a crash").isEqualTo(1);
    }

    @Test
    void drainingChildIsKilledOnlyPastItsDrainTimeoutAndGrace() throws Exception {
        WorkerProcess child = child("echo up; exec sleep 60", WorkerProcess.Phase.READY);
        child.drain(DRAIN_MS, now.get());

        assertKilledOnlyAfter(child, DRAIN_MS + ChildWatch.DRAIN_GRACE_MS);
        watch.watch(pool, child, now.get());
        assertThat(pool.workers()).isEmpty();
        assertThat(pool.restarts().total()).as("draining to the end is no crash").isZero();
    }

    @Test
    void readyChildThatHasNotBeatYetIsNotHung() throws Exception {
        WorkerProcess child = child("echo up; exec sleep 60", WorkerProcess.Phase.READY);
        child.slot().attach(child.pid(), 2);
        child.slot().beat(0, now.get());

        now.addAndGet(10 * HANG_MS);
        assertThat(watch.watch(pool, child, now.get())).isFalse();
        assertThat(child.phase()).isEqualTo(WorkerProcess.Phase.READY);
        assertThat(child.process().waitFor(300, TimeUnit.MILLISECONDS)).isFalse();
    }

    @Test
    void aSpareThatNeverAttachesIsKilledAfterTheStartTimeout() throws Exception {
        WorkerProcess spare = child("echo up; exec sleep 60", WorkerProcess.Phase.SPARE);

        assertKilledOnlyAfter(spare, ChildWatch.START_TIMEOUT_MS);

        watch.watch(pool, spare, now.get());
        assertThat(pool.workers()).isEmpty();
        assertThat(pool.restarts().total()).as("a spare that dies is a crash: the back-off applies").isEqualTo(1);
        assertThat(pool.restarts().mayStart()).as("the first crash is replaced at once").isTrue();
    }

    @Test
    void aPromotedSpareHasTheShortStartTimeoutFromItsPromotion() throws Exception {
        WorkerProcess spare = child("echo up; exec sleep 60", WorkerProcess.Phase.SPARE);
        now.addAndGet(ChildWatch.START_TIMEOUT_MS * 2);
        spare.promote(new ChildIdentity(Role.WORKER, "web", 1, 2), 0, now.get());
        assertThat(spare.phase()).isEqualTo(WorkerProcess.Phase.STARTING);
        assertThat(spare.id()).isEqualTo(1);
        assertThat(spare.generation()).isEqualTo(2);

        assertKilledOnlyAfter(spare, ChildWatch.PROMOTED_START_TIMEOUT_MS);
    }

    /** Moves the clock {@code overdueAfter} ms on: the child is left alone; one more: it is SIGKILLed. */
    private void assertKilledOnlyAfter(WorkerProcess child, long overdueAfter) throws InterruptedException {
        now.addAndGet(overdueAfter);
        watch.watch(pool, child, now.get());
        assertThat(child.process().waitFor(300, TimeUnit.MILLISECONDS)).as("not overdue yet").isFalse();
        now.addAndGet(1);
        assertThat(watch.watch(pool, child, now.get())).as("not a hang").isFalse();
        assertThat(child.process().waitFor(10, TimeUnit.SECONDS)).as("SIGKILLed").isTrue();
    }

    /** Starts {@code script} under sh, waits until it printed its first line, and adds it to the pool. */
    private WorkerProcess child(String script, WorkerProcess.Phase phase) throws Exception {
        Process process = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true).start();
        started.add(process);
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        assertThat(CompletableFuture.supplyAsync(() -> readLine(out)).get(10, TimeUnit.SECONDS)).isEqualTo("up");
        WorkerSlot slot = scoreboard.slot(started.size() - 1);
        slot.assign(started.size(), WorkerSlot.groupOf("WORKER", "web"));
        boolean spare = phase == WorkerProcess.Phase.SPARE;
        WorkerProcess child = new WorkerProcess(new ChildIdentity(Role.WORKER, "web", spare ? 0 : 1, 1), slot,
                started.size(), process, now.get(), 0, spare ? phase : WorkerProcess.Phase.STARTING);
        if (phase != WorkerProcess.Phase.STARTING && !spare) {
            child.phase(phase, now.get());
        }
        pool.add(child);
        return child;
    }

    private static String readLine(BufferedReader in) {
        try {
            return in.readLine();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
