package dev.berth.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    static final Path FILE = Path.of("/etc/berth/berth.yaml");
    static final Set<String> KINDS = Set.of("echo", "http", "smtp", "pop3-proxy");

    static HostConfig parse(String yaml) {
        return ConfigLoader.parse(FILE, yaml, KINDS);
    }

    @Test
    void fullValidFileIsReadIntoRecords() {
        String yaml = """
                master:
                  run-dir: /var/run/berth
                  log-dir: logs/berth
                  user: nobody
                pools:
                  web:
                    workers: {min: 2, max: 8, start: 4}
                    threads: 4
                    accept: shared
                    max-requests: 10000
                    hang-timeout: 500ms
                    drain-timeout: 1m
                    jvm-options: [-Xmx64m, -XX:+UseSerialGC]
                    spare-workers: 1
                  idle:
                    workers: 1
                services:
                  - name: echo
                    kind: echo
                    pool: web
                    listen: ["127.0.0.1:0", "[::1]:8080", "*:7000"]
                    echo:
                      greeting: hello
                  - name: site
                    kind: http
                    pool: web
                    listen: ["127.0.0.1:8081"]
                """;
        HostConfig config = parse(yaml);

        assertThat(config.file()).isEqualTo(FILE);
        assertThat(config.text()).isEqualTo(yaml);
        assertThat(config.master()).isEqualTo(new MasterConfig(
                Path.of("/var/run/berth"), Path.of("/etc/berth/logs/berth"), Optional.of("nobody")));
        assertThat(config.pools()).containsExactly(
                new PoolConfig("web", new WorkerCount(2, 8, 4), 4, AcceptStrategy.SHARED, 10000,
                        Duration.ofMillis(500), Duration.ofMinutes(1), List.of("-Xmx64m", "-XX:+UseSerialGC"), 1),
                new PoolConfig("idle", new WorkerCount(1, 1, 1), 2, AcceptStrategy.SHARED, 0,
                        Duration.ofSeconds(2), Duration.ofSeconds(30), List.of()));
        ServiceConfig echo = config.services().getFirst();
        assertThat(echo.name()).isEqualTo("echo");
        assertThat(echo.kind()).isEqualTo("echo");
        assertThat(echo.pool()).isEqualTo("web");
        assertThat(echo.listen()).containsExactly(
                new ListenAddress("127.0.0.1", 0), new ListenAddress("::1", 8080), new ListenAddress("0.0.0.0", 7000));
        assertThat(echo.settings().path()).isEqualTo("services[0].echo");
        assertThat(echo.settings().string("greeting")).contains("hello");
        assertThat(echo.settings().location()).hasToString("/etc/berth/berth.yaml:23:7");
        assertThat(config.services().get(1).settings().keys()).isEmpty();
        assertThat(config.services().get(1).settings().path()).isEqualTo("services[1].http");
    }

    @Test
    void minimalFileGetsEveryDefault() {
        HostConfig config = parse("""
                services:
                  - name: echo
                    kind: echo
                    listen: ["127.0.0.1:7"]
                """);

        assertThat(config.master()).isEqualTo(new MasterConfig(
                Path.of("/etc/berth/run"), Path.of("/etc/berth/log"), Optional.empty()));
        assertThat(config.pools()).containsExactly(new PoolConfig("default", new WorkerCount(2, 2, 2), 2,
                AcceptStrategy.SHARED, 0, Duration.ofSeconds(2), Duration.ofSeconds(30), List.of()));
        assertThat(config.services().getFirst().pool()).isEqualTo("default");
        assertThat(config.services().getFirst().settings().keys()).isEmpty();
    }

    @Test
    void workersRangeDefaultsStartToMinAndMaxToStart() {
        HostConfig config = parse("""
                pools:
                  a: {workers: {min: 3}}
                  b: {workers: {max: 5}}
                  c: {workers: {min: 2, start: 4}}
                services:
                  - {name: echo, kind: echo, pool: a, listen: ["127.0.0.1:7"]}
                """);

        assertThat(config.pools()).extracting(PoolConfig::workers).containsExactly(
                new WorkerCount(3, 3, 3), new WorkerCount(1, 5, 1), new WorkerCount(2, 4, 4));
    }

    @Test
    void definedDefaultPoolReplacesTheImplicitOne() {
        HostConfig config = parse("""
                pools:
                  default: {threads: 8}
                services:
                  - {name: echo, kind: echo, listen: ["127.0.0.1:7"]}
                """);

        assertThat(config.pools()).singleElement().extracting(PoolConfig::threads).isEqualTo(8);
    }

    @Test
    void unusedPoolsAreKeptAndTheImplicitDefaultIsAddedOnlyWhenUsed() {
        HostConfig config = parse("""
                pools:
                  web: {}
                  spare:
                services:
                  - {name: a, kind: echo, pool: web, listen: ["127.0.0.1:7"]}
                  - {name: b, kind: echo, listen: ["127.0.0.1:8"]}
                """);

        assertThat(config.pools()).extracting(PoolConfig::name).containsExactly("web", "spare", "default");
        assertThat(config.pool("spare")).isPresent();
        assertThat(config.pool("missing")).isEmpty();
        assertThat(config.servicesOf("web")).extracting(ServiceConfig::name).containsExactly("a");
        assertThat(config.servicesOf("spare")).isEmpty();
    }

    @Test
    void servicesOfKeepsFileOrder() {
        HostConfig config = parse("""
                services:
                  - {name: c, kind: echo, listen: ["127.0.0.1:7"]}
                  - {name: a, kind: http, listen: ["127.0.0.1:8"]}
                  - {name: b, kind: echo, listen: ["127.0.0.1:9"]}
                """);

        assertThat(config.servicesOf("default")).extracting(ServiceConfig::name).containsExactly("c", "a", "b");
    }

    @Test
    void portZeroMayRepeatAcrossServices() {
        HostConfig config = parse("""
                services:
                  - {name: a, kind: echo, listen: ["127.0.0.1:0", "127.0.0.1:0"]}
                  - {name: b, kind: echo, listen: ["127.0.0.1:0"]}
                """);

        assertThat(config.services()).hasSize(2);
    }

    @Test
    void emptyValuesCountAsAbsent() {
        HostConfig config = parse("""
                master:
                pools:
                  web:
                    threads:
                    jvm-options: ~
                services:
                  - {name: echo, kind: echo, pool: web, listen: ["127.0.0.1:7"]}
                """);

        assertThat(config.pool("web")).get().extracting(PoolConfig::threads).isEqualTo(2);
        assertThat(config.master().user()).isEmpty();
    }

    @Test
    void relativeFileNameResolvesAgainstTheWorkingDirectory() {
        HostConfig config = ConfigLoader.parse(Path.of("berth.yaml"), """
                services:
                  - {name: echo, kind: echo, listen: ["127.0.0.1:7"]}
                """, KINDS);

        assertThat(config.master().runDir()).isEqualTo(Path.of("run").toAbsolutePath());
    }

    @Test
    void loadReadsTheFileAsUtf8(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("berth.yaml");
        Files.writeString(file, """
                # café
                services:
                  - {name: echo, kind: echo, listen: ["127.0.0.1:7"]}
                """);

        HostConfig config = ConfigLoader.load(file, KINDS);

        assertThat(config.file()).isEqualTo(file);
        assertThat(config.text()).startsWith("# café");
        assertThat(config.master().logDir()).isEqualTo(dir.resolve("log"));
    }

    @Test
    void missingFileIsAConfigException(@TempDir Path dir) {
        Path file = dir.resolve("absent.yaml");

        assertThatThrownBy(() -> ConfigLoader.load(file, KINDS))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + ": cannot read the config file: no such file");
    }

    @Test
    void invalidUtf8IsAConfigException(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("berth.yaml");
        Files.write(file, "services: \u00e9".getBytes(StandardCharsets.ISO_8859_1));

        assertThatThrownBy(() -> ConfigLoader.load(file, KINDS))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + ": cannot read the config file: it is not valid UTF-8 text");
    }

    @Test
    void leadingByteOrderMarkIsIgnored() {
        HostConfig config = parse("\uFEFFservices:\n  - {name: echo, kind: echo, listen: [\"127.0.0.1:7\"]}\n");

        assertThat(config.services()).hasSize(1);
    }

    @Test
    void theRunDirectoryIsReadEvenFromAFileWithErrorsElsewhere(@TempDir Path dir) throws IOException {
        Path broken = Files.writeString(dir.resolve("broken.yaml"), """
                master: {run-dir: /srv/berth/run, log-dir: log}
                pools:
                  web: {workers: many}
                services: 17
                """);
        Path silent = Files.writeString(dir.resolve("silent.yaml"), "master: {log-dir: log}\n");
        Path notYaml = Files.writeString(dir.resolve("bad.yaml"), "master: [run-dir: x\n");

        assertThat(ConfigLoader.runDirEntry(broken)).contains("/srv/berth/run");
        assertThat(ConfigLoader.runDirEntry(silent)).isEmpty();
        assertThat(ConfigLoader.runDirEntry(notYaml)).isEmpty();
        assertThat(ConfigLoader.runDirEntry(dir.resolve("missing.yaml"))).isEmpty();
    }
}
