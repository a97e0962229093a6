package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testpeers.Await;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 12: the master under systemd (sd_notify), and a log that logrotate can move. */
class OperationsTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    /**
     * Plays systemd's side of {@code NOTIFY_SOCKET}: a datagram socket (a path, or an abstract name
     * when it starts with {@code @}) whose every message arrives as one line, newlines as {@code |}.
     */
    private static final class NotifyReceiver implements AutoCloseable {

        private final Process python;
        private final LinkedBlockingQueue<String> messages = new LinkedBlockingQueue<>();

        NotifyReceiver(String address) throws Exception {
            python = new ProcessBuilder("python3", "-u", "-c", """
                    import socket, sys
                    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
                    a = sys.argv[1]
                    s.bind("\\0" + a[1:] if a.startswith("@") else a)
                    print("bound", flush=True)
                    while True:
                        print(s.recv(4096).decode().replace("\\n", "|"), flush=True)
                    """, address).redirectErrorStream(true).start();
            BufferedReader lines = new BufferedReader(new InputStreamReader(python.getInputStream(), StandardCharsets.UTF_8));
            Thread.ofVirtual().start(() -> {
                try {
                    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                        messages.add(line);
                    }
                } catch (java.io.IOException e) {
                    messages.add("receiver failed: " + e);
                }
            });
            assertThat(next()).isEqualTo("bound");
        }

        /** The next message, waiting at most a minute. */
        String next() throws InterruptedException {
            String message = messages.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(message).as("a notification within " + WAIT).isNotNull();
            return message;
        }

        /** Skips messages until one contains {@code text}; returns it. */
        String await(String text) throws InterruptedException {
            for (String message = next(); ; message = next()) {
                if (message.contains(text)) {
                    return message;
                }
            }
        }

        @Override
        public void close() {
            python.destroyForcibly();
        }
    }

    @Test
    void runTellsSystemdReadyThenReloadingAndReadyAgainThenStopping() throws Exception {
        String address = "@berth-it-notify-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        try (NotifyReceiver systemd = new NotifyReceiver(address);
             Berth berth = Berth.start(dir, Configs.echo(2, ""), Berth.JAR, Map.of("NOTIFY_SOCKET", address))) {
            String ready = systemd.await("READY=1");
            assertThat(ready).contains("STATUS=generation 1: 2 workers ready in 1 pools");

            Runtime.getRuntime().exec(new String[] {"kill", "-HUP", Long.toString(berth.master().pid())}).waitFor();
            String reloading = systemd.await("RELOADING=1");
            assertThat(reloading).containsPattern("MONOTONIC_USEC=[1-9][0-9]*");
            assertThat(systemd.await("READY=1")).contains("STATUS=generation 2");

            Runtime.getRuntime().exec(new String[] {"kill", "-TERM", Long.toString(berth.master().pid())}).waitFor();
            assertThat(systemd.await("STOPPING=1")).contains("STATUS=");
            assertThat(berth.master().waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void startedMasterReopensItsLogOnSigusr1SoRotationLosesNothing() throws Exception {
        Path config = dir.resolve("berth.yaml");
        Files.writeString(config, Configs.echo(1, ""));
        Command started = cli("start", "-c", config.toString());
        try {
            assertThat(started.status()).as(started.output()).isZero();
            Path log = dir.resolve("log/berth.log");
            Path rotated = dir.resolve("log/berth.log.1");
            assertThat(Files.readString(log)).contains("event=ready");
            Files.move(log, rotated);
            long master = Long.parseLong(Files.readString(dir.resolve("run/berth.pid")).strip());
            Runtime.getRuntime().exec(new String[] {"kill", "-USR1", Long.toString(master)}).waitFor();
            assertThat(Await.until(WAIT, Duration.ofMillis(50), () -> Files.exists(log))).as("log reopened").isTrue();

            Command status = cli("status", "--json", "-c", config.toString());
            long worker = new com.fasterxml.jackson.databind.ObjectMapper().readTree(status.output())
                    .path("pools").get(0).path("workers").get(0).path("pid").asLong();
            ProcessHandle.of(worker).orElseThrow().destroyForcibly();
            String restartLine = "pid=" + worker + " gen=1 event=restart cause=crash";
            assertThat(Await.until(WAIT, Duration.ofMillis(50), () -> read(log).contains(restartLine)))
                    .as("the restart lands in the new file").isTrue();
            assertThat(Files.readString(rotated)).doesNotContain(restartLine);
            // a replacement worker's own lines reach the new file too, through the master
            assertThat(Await.until(WAIT, Duration.ofMillis(50), () -> read(log).lines()
                    .anyMatch(l -> l.contains("worker") && l.contains(" ready: ")))).isTrue();
        } finally {
            Command stopped = cli("stop", "-c", config.toString());
            assertThat(stopped.status()).as(stopped.output()).isZero();
        }
    }

    @Test
    void shippedUnitPassesSystemdAnalyzeVerify() throws Exception {
        String unit = Files.readString(Path.of("..", "deploy", "systemd", "berth.service"));
        assertThat(unit).contains("Type=notify").contains("ExecReload=/bin/kill -HUP $MAINPID");
        Path copy = dir.resolve("berth.service");
        Files.writeString(copy, unit.replace("/opt/berth/bin/berth", "/bin/true"));
        Command verified = Command.run(dir, "systemd-analyze", "verify", copy.toString());
        assertThat(verified.output()).as("systemd-analyze verify").isEmpty();
        assertThat(verified.status()).isZero();
    }

    @Test
    void archiveRunsAfterUnpackingAnywhere() throws Exception {
        Path archive;
        try (var files = Files.list(Path.of("..", "dist", "target"))) {
            archive = files.filter(f -> f.getFileName().toString().matches("berth-.*\\.tar\\.gz")).findFirst().orElseThrow();
        }
        Path unpacked = dir.resolve("somewhere else");
        Files.createDirectories(unpacked);
        assertThat(Command.run(unpacked, "tar", "xzf", archive.toAbsolutePath().toString()).status()).isZero();
        Path home;
        try (var dirs = Files.list(unpacked)) {
            home = dirs.findFirst().orElseThrow();
        }
        for (String shipped : List.of("bin/berth", "bin/java25", "lib/berth.jar", "lib/berth.jsa", "lib/cli.jsa",
                "examples/berth.yaml", "examples/mail.yaml", "deploy/systemd/berth.service", "README.md")) {
            assertThat(home.resolve(shipped)).as(shipped).exists();
        }
        assertThat(Files.isExecutable(home.resolve("bin/berth"))).isTrue();
        Path config = home.resolve("examples/test.yaml");
        Files.writeString(config, Configs.echo(1, "", "  admin: 127.0.0.1:0"));
        Map<String, String> env = Map.of("JAVA_HOME", Path.of(Berth.JAVA).getParent().getParent().toString());
        String berth = home.resolve("bin/berth").toString();
        Command checked = Command.run(home, env, new byte[0], List.of(berth, "check", "-c", config.toString()));
        assertThat(checked.status()).as(checked.output()).isZero();
        Command started = Command.run(home, env, new byte[0], List.of(berth, "start", "-c", config.toString()));
        try {
            assertThat(started.status()).as(started.output()).isZero();
            Command status = Command.run(home, env, new byte[0], List.of(berth, "status", "--json", "-c", config.toString()));
            assertThat(status.output()).contains("\"admin\":\"127.0.0.1:").contains("\"state\":\"ready\"");
        } finally {
            Command.run(home, env, new byte[0], List.of(berth, "stop", "-c", config.toString()));
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return "";
        }
    }

    private Command cli(String... args) throws Exception {
        List<String> argv = new java.util.ArrayList<>(List.of(Berth.JAVA, "--enable-native-access=ALL-UNNAMED",
                "-cp", Berth.JAR.toString(), "dev.berth.cli.Main"));
        argv.addAll(List.of(args));
        return Command.run(dir, Map.of(), new byte[0], argv);
    }
}
