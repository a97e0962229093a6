package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, item 5: {@code spare-workers} keeps worker JVMs started and attached beside a pool; a
 * killed worker's replacement is a promoted spare (the same pid, no JVM start), and a reload keeps
 * a spare only if the pool's JVM options did not change (docs/adr/0033).
 */
class SpareWorkerTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void aKilledWorkerIsReplacedByTheSpareWhichIsThenStartedAgainAndStopEndsSparesToo() throws Exception {
        try (Berth berth = Berth.start(dir, Configs.echo(2, "    spare-workers: 1\n"))) {
            long spare = awaitSpare(berth, -1);
            assertThat(berth.log()).as("a spare prepares before it attaches").contains("spare prepared in");
            long killed = readyWorker1(berth.status());

            ProcessHandle.of(killed).orElseThrow().destroyForcibly();

            JsonNode replaced = berth.awaitStatus(s -> readyWorker1(s) > 0 && readyWorker1(s) != killed, WAIT,
                    "worker 1 replaced");
            assertThat(readyWorker1(replaced)).as("the spare became worker 1").isEqualTo(spare);
            assertThat(berth.log()).contains("a spare, up for");
            long next = awaitSpare(berth, spare);
            assertThat(next).as("a new spare").isNotEqualTo(spare);
            try (LineClient client = new LineClient("127.0.0.1", berth.port("echo"))) {
                client.send("served");
                assertThat(client.line()).isEqualTo("served");
            }

            assertThat(berth.request("stop", false).path("ok").asBoolean()).isTrue();
            assertThat(berth.master().waitFor(30, TimeUnit.SECONDS)).as("the master stops with a spare").isTrue();
            assertThat(berth.master().exitValue()).isZero();
            assertThat(ProcessHandle.of(next).map(ProcessHandle::isAlive)).as("the spare is gone").isNotEqualTo(
                    java.util.Optional.of(true));
        }
    }

    @Test
    void aReloadPromotesTheSpareWhenTheJvmOptionsStayAndRetiresItWhenTheyChange() throws Exception {
        Path config = dir.resolve("berth.yaml");
        try (Berth berth = Berth.start(dir, Configs.echo(1, "    spare-workers: 1\n"))) {
            long spare = awaitSpare(berth, -1);

            assertThat(berth.request("reload", false).path("ok").asBoolean()).isTrue();
            JsonNode second = berth.awaitStatus(s -> s.path("master").path("generation").asLong() == 2
                    && workers(s).size() == 1 && workers(s).getFirst().path("generation").asLong() == 2
                    && workers(s).getFirst().path("state").asText().equals("ready"), WAIT, "generation 2 alone");
            assertThat(workers(second).getFirst().path("pid").asLong()).as("generation 2's worker is the spare")
                    .isEqualTo(spare);
            long kept = awaitSpare(berth, spare);

            Files.writeString(config, Files.readString(config).replace("-Xmx48m", "-Xmx48m, -Dberth.test.spare=changed"));
            assertThat(berth.request("reload", false).path("ok").asBoolean()).isTrue();
            long fresh = awaitSpare(berth, kept);
            JsonNode third = berth.awaitStatus(s -> workers(s).size() == 1
                    && workers(s).getFirst().path("generation").asLong() == 3
                    && workers(s).getFirst().path("state").asText().equals("ready"), WAIT, "generation 3 alone");
            assertThat(workers(third).getFirst().path("pid").asLong()).as("a spare of the old options serves nothing")
                    .isNotEqualTo(kept);
            assertThat(commandLine(fresh)).contains("-Dberth.test.spare=changed");
            assertThat(berth.log()).contains("retiring: the pool's jvm-options changed");
        }
    }

    /** Waits until the pool has a spare other than {@code not} that has prepared and attached; returns its pid. */
    private static long awaitSpare(Berth berth, long not) {
        return spare(berth.awaitStatus(s -> spare(s) > 0 && spare(s) != not, WAIT, "a spare"));
    }

    private static long spare(JsonNode status) {
        return Berth.workers(status, "echo").stream().filter(w -> w.path("state").asText().equals("spare"))
                .mapToLong(w -> w.path("pid").asLong()).findFirst().orElse(0);
    }

    private static List<JsonNode> workers(JsonNode status) {
        return Berth.workers(status, "echo").stream().filter(w -> !w.path("state").asText().startsWith("spare")).toList();
    }

    /** The pid of worker 1 if it is ready, else 0. */
    private static long readyWorker1(JsonNode status) {
        return workers(status).stream().filter(w -> w.path("id").asInt() == 1 && w.path("state").asText().equals("ready"))
                .mapToLong(w -> w.path("pid").asLong()).findFirst().orElse(0);
    }

    private static String commandLine(long pid) throws java.io.IOException {
        return new String(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
    }
}
