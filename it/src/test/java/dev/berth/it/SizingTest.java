package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 3 item 4: a pool with {@code workers: {min, max, start}} grows while its event loops are
 * busy and shrinks back after idle time, and status says why. wrk drives one single-threaded
 * worker's event loop to saturation.
 */
class SizingTest {

    @TempDir
    Path dir;

    @Test
    void aSaturatedPoolGrowsAndShrinksBackWhenIdle() throws Exception {
        String config = """
                pools:
                  web:
                    workers: {min: 1, max: 3, start: 1}
                    threads: 1
                    jvm-options: %s
                services:
                  - name: hello
                    kind: http
                    pool: web
                    listen: ["127.0.0.1:0"]
                """.formatted(Configs.TEST_JVM);
        try (Berth berth = Berth.start(dir, config)) {
            Process wrk = new ProcessBuilder("wrk", "-t1", "-c32", "-d40s", "http://127.0.0.1:" + berth.port("hello") + "/")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("wrk.log").toFile()).start();
            JsonNode grown;
            try {
                grown = berth.awaitStatus(s -> pool(s).path("size").asInt() >= 2
                        && Berth.workers(s, "web").stream().filter(w -> w.path("state").asText().equals("ready")).count() >= 2,
                        Duration.ofSeconds(30), "the pool grown to 2 ready workers");
            } finally {
                wrk.destroy();
                wrk.waitFor(10, TimeUnit.SECONDS);
            }
            // status gives the latest reason: under wrk the pool may already be growing from 2 to 3
            assertThat(pool(grown).path("sizing").asText()).containsPattern("growing from [12] to [23]");
            JsonNode shrunk = berth.awaitStatus(s -> pool(s).path("size").asInt() == 1
                    && Berth.workers(s, "web").size() == 1, Duration.ofSeconds(40), "the pool back at 1 worker");
            assertThat(pool(shrunk).path("sizing").asText()).contains("shrinking from 2 to 1");
            assertThat(berth.log()).contains("growing from 1 to 2").contains("the pool shrinks to 1");
        }
    }

    private static JsonNode pool(JsonNode status) {
        return status.path("pools").get(0);
    }
}
