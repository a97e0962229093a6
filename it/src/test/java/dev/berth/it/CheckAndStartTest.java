package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11 item 6: what {@code berth check} accepts, {@code berth start} runs; and a pool that
 * cannot start at all makes {@code start} fail with the reason instead of waiting.
 */
class CheckAndStartTest {

    private static final String HTTP = """
            master:
              run-dir: run
              log-dir: log
            pools:
              web:
                workers: 2
                threads: 1
                jvm-options: %s
            services:
              - name: web
                kind: http
                pool: web
                listen: ["127.0.0.1:0"]
                http: %s
            """;

    @TempDir
    Path dir;

    @AfterEach
    void stopWhatIsLeft() throws IOException {
        Berth.killDaemon(dir);
    }

    @Test
    void aConfigWithAMegabyteFixedResponsePassesCheckAndStartServesIt() throws Exception {
        String body = "0123456789abcdef".repeat(72 * 1024) + "\n";
        String yaml = HTTP.formatted(Configs.TEST_JVM, "{response: \"" + body.strip() + "\\n\"}");
        assertThat(yaml.length()).isGreaterThan(1_100_000);
        Files.writeString(dir.resolve("berth.yaml"), yaml);
        assertThat(cli("check").status()).isZero();

        try (Berth berth = Berth.start(dir, yaml);
             HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + berth.port("web") + "/")).timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo(body);
        }
    }

    @Test
    void startFailsWithTheReasonWhenAPoolCannotStartAtAll() throws Exception {
        Path missing = dir.resolve("no-such-site");
        Files.writeString(dir.resolve("berth.yaml"), HTTP.formatted(Configs.TEST_JVM, "{root: " + missing + "}"));
        assertThat(cli("check").status()).as("check does no I/O, so a missing root passes it").isZero();

        Berth.CliResult started = cli("start", "--timeout", "90");

        assertThat(started.status()).isNotZero();
        assertThat(started.output()).contains("pool web cannot start").contains(missing.toString())
                .doesNotContain("keeps trying");
        assertThat(Files.exists(dir.resolve("run/berth.sock"))).as("no master left running").isFalse();
    }

    private Berth.CliResult cli(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(args));
        command.addAll(List.of("-c", dir.resolve("berth.yaml").toString()));
        return Berth.cli(command);
    }
}
