package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 2 (c) and (d): recycling and reloads under load lose nothing. */
class RollingTest {

    @TempDir
    Path dir;

    @Test
    void recyclingAfterMaxRequestsFailsNoConnection() throws Exception {
        try (Berth berth = Berth.start(dir, Configs.echo(2, "    max-requests: 150\n"));
             EchoLoad load = new EchoLoad(berth.port("echo"), 4)) {
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
        try (Berth berth = Berth.start(dir, Configs.echo(2, ""));
             EchoLoad load = new EchoLoad(berth.port("echo"), 4)) {
            load.awaitSuccesses(200, 20_000);
            Files.writeString(berth.config(), Configs.echo(3, "    drain-timeout: 5s\n"));
            Berth.CliResult reload = berth.cli("reload");
            assertThat(reload.status()).as(reload.output()).isZero();
            JsonNode status = berth.awaitStatus(s -> s.path("master").path("generation").asLong() == 2
                            && Berth.workers(s, "echo").size() == 3
                            && Berth.workers(s, "echo").stream().allMatch(w -> w.path("generation").asLong() == 2
                                    && w.path("state").asText().equals("ready")),
                    Duration.ofSeconds(60), "three ready workers of generation 2");
            load.awaitSuccesses(200, 20_000);

            Files.writeString(berth.config(), Configs.echo(2, "").replace("threads: 1", "threads: 0"));
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
}
