package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 2 (a) and (b): a worker killed or stopped under a steady echo load. */
class WorkerFailureTest {

    private static final int CLIENTS = 4;

    @TempDir
    Path dir;

    @Test
    void killedWorkerIsReplacedAndNoQueuedConnectionIsLost() throws IOException {
        try (Berth berth = Berth.start(dir, Configs.echo(2, "    hang-timeout: 2s\n"));
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
        try (Berth berth = Berth.start(dir, Configs.echo(2, "    hang-timeout: 1s\n"));
             EchoLoad load = new EchoLoad(berth.port("echo"), CLIENTS)) {
            load.awaitSuccesses(300, 20_000);
            long victim = berth.readyPids("echo").get(0);
            long stoppedAt = System.nanoTime();
            signal("STOP", victim);
            // the other worker keeps serving while the victim is stopped
            load.awaitSuccesses(200, 900);
            ProcessHandle handle = ProcessHandle.of(victim).orElseThrow();
            handle.onExit().get(2_000 - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stoppedAt), TimeUnit.MILLISECONDS);
            long killedAfter = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stoppedAt);
            JsonNode status = berth.awaitStatus(s -> readyWithout(s, victim) == 2, Duration.ofSeconds(30),
                    "a ready replacement of the stopped worker");
            long replacedAfter = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stoppedAt);
            load.awaitSuccesses(200, 20_000);
            load.stop();

            System.out.printf("stopped worker killed after %d ms, replacement ready after %d ms%n", killedAfter, replacedAfter);
            assertThat(killedAfter).isLessThanOrEqualTo(2_000);
            assertThat(berth.log()).contains("hung: heartbeat");
            assertThat(Berth.workers(status, "echo")).hasSize(2);
            // connections the victim held when it stopped were reset when it was killed; no other failed
            assertThat(load.failures()).hasSizeLessThanOrEqualTo(CLIENTS)
                    .allSatisfy(f -> assertThat(f.kind()).isEqualTo(EchoLoad.Kind.RESET_OR_EOF));
        }
    }

    private static long readyWithout(JsonNode status, long pid) {
        List<JsonNode> workers = Berth.workers(status, "echo");
        return workers.stream().filter(w -> w.path("state").asText().equals("ready"))
                .filter(w -> w.path("pid").asLong() != pid).count();
    }

    static void signal(String signal, long pid) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).isZero();
    }
}
