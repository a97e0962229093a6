package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every accept strategy must hold (issues 2 and 3), run against a real master and worker JVMs
 * under a steady echo load: even balance, nothing lost when a worker is killed, no new connection
 * stalled by a stopped worker, and zero errors through recycling and reloads. One subclass per
 * strategy says which it is and how a stopped worker's queue behaves.
 */
abstract class AcceptContract {

    static final int CLIENTS = 4;

    @TempDir
    Path dir;

    /** The strategy's config value. */
    abstract String accept();

    /**
     * Whether new connections may wait for a stopped worker to be killed instead of going to a
     * sibling at once: reuseport (the kernel queued them on the stopped worker's own socket) and
     * mutex (the stopped worker may hold the lock). Either way they are served once it is killed.
     */
    boolean stoppedWorkerHoldsItsQueue() {
        return false;
    }

    String pool(String extra) {
        return "    accept: " + accept() + "\n" + extra;
    }

    /** How uneven a steady load of short connections may land (max/min of the workers' counts). */
    double balanceTolerance() {
        return 1.2;
    }

    /**
     * One worker per core, as a pool is meant to be sized: with more single-threaded workers than
     * cores, who accepts is decided by who the scheduler runs (shared measured 1.1 to 1.25 with
     * three workers on two cores beside the test's own clients; see the closing note of issue 3).
     */
    @Test
    void connectionsAreSpreadEvenlyOverTheWorkers() throws Exception {
        int workers = Math.max(2, Runtime.getRuntime().availableProcessors());
        try (Berth berth = Berth.start(dir, Configs.echo(workers, pool("")));
             EchoLoad load = new EchoLoad(berth.port("echo"), 6)) {
            load.awaitSuccesses(4_000, 60_000);
            load.stop();
            List<Long> accepted = Berth.workers(berth.status(), "echo").stream()
                    .map(w -> w.path("accepted").asLong()).toList();
            long max = accepted.stream().mapToLong(Long::longValue).max().orElseThrow();
            long min = accepted.stream().mapToLong(Long::longValue).min().orElseThrow();
            System.out.println(accept() + ": accepted per worker " + accepted);
            assertThat(accepted).hasSize(workers);
            assertThat((double) max / min).as("max/min of " + accepted).isLessThanOrEqualTo(balanceTolerance());
            assertThat(load.failures()).isEmpty();
        }
    }

    /**
     * How uneven a burst of long-lived connections may land: the kernel's reuseport hash has no
     * notion of load, every other strategy balances on the workers' open connections.
     */
    double burstTolerance() {
        return 1.5;
    }

    /**
     * Waits until every worker of a just-ready pool takes connections. Nothing for the strategies
     * whose workers accept from their Ready on.
     */
    void awaitTakingConnections(Berth berth) {
    }

    @Test
    void aBurstOfLongLivedConnectionsIsSpreadOverTheWorkers() throws Exception {
        try (Berth berth = Berth.start(dir, Configs.echo(2, pool("")))) {
            int port = berth.port("echo");
            awaitTakingConnections(berth);
            List<java.net.Socket> held = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
            try {
                List<Thread> openers = new java.util.ArrayList<>();
                for (int t = 0; t < 6; t++) {
                    openers.add(Thread.ofPlatform().start(() -> {
                        for (int i = 0; i < 10; i++) {
                            try {
                                java.net.Socket s = new java.net.Socket("127.0.0.1", port);
                                held.add(s);
                            } catch (IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                        }
                    }));
                }
                for (Thread t : openers) {
                    t.join(10_000);
                }
                JsonNode status = berth.awaitStatus(s -> Berth.workers(s, "echo").stream()
                        .mapToLong(w -> w.path("active").asLong()).sum() == 60, Duration.ofSeconds(10), "60 open connections");
                List<Long> active = Berth.workers(status, "echo").stream().map(w -> w.path("active").asLong()).toList();
                System.out.println(accept() + ": a burst of 60 landed as " + active);
                long max = active.stream().mapToLong(Long::longValue).max().orElseThrow();
                long min = active.stream().mapToLong(Long::longValue).min().orElseThrow();
                assertThat((double) max / Math.max(1, min)).as(() -> "max/min of " + active + "\n" + berth.log())
                        .isLessThanOrEqualTo(burstTolerance());
            } finally {
                for (java.net.Socket s : held) {
                    s.close();
                }
            }
        }
    }

    @Test
    void killedWorkerIsReplacedAndNoConnectionItHadNotAcceptedIsLost() throws IOException {
        try (Berth berth = Berth.start(dir, Configs.echo(2, pool("    hang-timeout: 2s\n")));
             EchoLoad load = new EchoLoad(berth.port("echo"), CLIENTS)) {
            load.awaitSuccesses(300, 20_000);
            long victim = berth.readyPids("echo").get(0);
            long killedAt = System.nanoTime();
            assertThat(ProcessHandle.of(victim).orElseThrow().destroyForcibly()).isTrue();
            load.awaitSuccesses(300, 20_000);
            JsonNode status = berth.awaitStatus(s -> readyWithout(s, victim) == 2, Duration.ofSeconds(30),
                    "two ready workers without " + victim);
            load.awaitSuccesses(300, 20_000);
            load.stop();

            assertThat(Berth.workers(status, "echo")).extracting(w -> w.path("pid").asLong()).doesNotContain(victim);
            assertThat(status.path("pools").get(0).path("restarts").asLong()).isEqualTo(1);
            // only connections the victim had already accepted may fail, and only by reset
            assertThat(load.failures()).hasSizeLessThanOrEqualTo(CLIENTS)
                    .allSatisfy(f -> {
                        assertThat(f.kind()).isEqualTo(EchoLoad.Kind.RESET_OR_EOF);
                        assertThat(f.startedNanos()).isLessThan(killedAt + TimeUnit.MILLISECONDS.toNanos(200));
                    });
        }
    }

    @Test
    void stoppedWorkerStallsNoNewConnectionAndIsReplacedWithinTheHangTimeout() throws Exception {
        try (Berth berth = Berth.start(dir, Configs.echo(2, pool("    hang-timeout: 1s\n")));
             EchoLoad load = new EchoLoad(berth.port("echo"), CLIENTS)) {
            load.awaitSuccesses(300, 20_000);
            long victim = berth.readyPids("echo").get(0);
            long stoppedAt = System.nanoTime();
            signal("STOP", victim);
            if (!stoppedWorkerHoldsItsQueue()) {
                // new connections are served while the victim is stopped; fresh clients, because
                // the steady load's own clients may all be stuck on connections the victim holds
                try (EchoLoad fresh = new EchoLoad(berth.port("echo"), 2)) {
                    fresh.awaitSuccesses(100, 900);
                    fresh.stop();
                    assertThat(fresh.failures()).isEmpty();
                }
            }
            ProcessHandle handle = ProcessHandle.of(victim).orElseThrow();
            handle.onExit().get(2_000 - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stoppedAt), TimeUnit.MILLISECONDS);
            long killedAfter = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stoppedAt);
            JsonNode status = berth.awaitStatus(s -> readyWithout(s, victim) == 2, Duration.ofSeconds(30),
                    "a ready replacement of the stopped worker");
            long replacedAfter = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stoppedAt);
            load.awaitSuccesses(200, 20_000);
            load.stop();

            System.out.printf("%s: stopped worker killed after %d ms, replacement ready after %d ms, slowest"
                    + " connection %d ms%n", accept(), killedAfter, replacedAfter, load.slowestMillis());
            assertThat(killedAfter).isLessThanOrEqualTo(2_000);
            assertThat(berth.log()).contains("hung: heartbeat");
            assertThat(Berth.workers(status, "echo")).hasSize(2);
            // connections the victim held when it stopped were reset when it was killed; no other failed
            assertThat(load.failures()).hasSizeLessThanOrEqualTo(CLIENTS)
                    .allSatisfy(f -> assertThat(f.kind()).isEqualTo(EchoLoad.Kind.RESET_OR_EOF));
        }
    }

    @Test
    void recyclingAfterMaxRequestsFailsNoConnection() throws Exception {
        try (Berth berth = Berth.start(dir, Configs.echo(2, pool("    max-requests: 150\n")));
             EchoLoad load = new EchoLoad(berth.port("echo"), CLIENTS)) {
            Set<Long> pids = new HashSet<>(berth.readyPids("echo"));
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (pids.size() < 6 && System.nanoTime() < deadline) {
                load.awaitSuccesses(50, 20_000);
                Berth.workers(berth.status(), "echo").forEach(w -> pids.add(w.path("pid").asLong()));
            }
            load.awaitSuccesses(100, 20_000);
            load.stop();

            assertThat(pids).as("workers seen while recycling").hasSizeGreaterThanOrEqualTo(6);
            assertThat(load.failures()).isEmpty();
            assertThat(berth.log()).contains("recycling it").doesNotContain("died (");
        }
    }

    @Test
    void validReloadRollsEveryWorkerAndInvalidReloadChangesNothing() throws Exception {
        try (Berth berth = Berth.start(dir, Configs.echo(2, pool("")));
             EchoLoad load = new EchoLoad(berth.port("echo"), CLIENTS)) {
            load.awaitSuccesses(200, 20_000);
            Files.writeString(berth.config(), Configs.echo(3, pool("    drain-timeout: 5s\n")));
            Berth.CliResult reload = berth.cli("reload");
            assertThat(reload.status()).as(reload.output()).isZero();
            JsonNode status = berth.awaitStatus(s -> s.path("master").path("generation").asLong() == 2
                            && Berth.workers(s, "echo").size() == 3
                            && Berth.workers(s, "echo").stream().allMatch(w -> w.path("generation").asLong() == 2
                                    && w.path("state").asText().equals("ready")),
                    Duration.ofSeconds(60), "three ready workers of generation 2");
            load.awaitSuccesses(200, 20_000);

            Files.writeString(berth.config(), Configs.echo(2, pool("")).replace("threads: 1", "threads: 0"));
            Berth.CliResult refused = berth.cli("reload");
            load.awaitSuccesses(200, 20_000);
            load.stop();

            assertThat(refused.status()).isEqualTo(2);
            assertThat(refused.output()).contains("berth.yaml:").contains("pools.echo.threads");
            JsonNode after = berth.status();
            assertThat(after.path("master").path("generation").asLong()).isEqualTo(2);
            assertThat(Berth.workers(after, "echo")).extracting(w -> w.path("pid").asLong())
                    .containsExactlyInAnyOrderElementsOf(Berth.workers(status, "echo").stream()
                            .map(w -> w.path("pid").asLong()).toList());
            assertThat(load.failures()).isEmpty();
        }
    }

    private static long readyWithout(JsonNode status, long pid) {
        return Berth.workers(status, "echo").stream().filter(w -> w.path("state").asText().equals("ready"))
                .filter(w -> w.path("pid").asLong() != pid).count();
    }

    static void signal(String signal, long pid) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).isZero();
    }
}
