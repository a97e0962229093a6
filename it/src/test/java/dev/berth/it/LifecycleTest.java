package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 2 (e), (f), (g): stop drains, the master's death ends its workers, workers drop root. */
class LifecycleTest {

    @TempDir
    Path dir;

    @Test
    void stopLetsAConnectionInFlightFinish() throws Exception {
        try (Berth berth = Berth.start(dir, Configs.echo(2, "    drain-timeout: 20s\n"));
             Socket client = new Socket("127.0.0.1", berth.port("echo"))) {
            client.setSoTimeout(5_000);
            assertThat(echo(client, "before stop\n")).isEqualTo("before stop\n");
            JsonNode reply = berth.request("stop", false);
            assertThat(reply.path("ok").asBoolean()).isTrue();
            berth.awaitStatus(s -> Berth.workers(s, "echo").stream()
                    .allMatch(w -> w.path("state").asText().equals("draining")), java.time.Duration.ofSeconds(10), "draining");
            assertThat(echo(client, "while draining\n")).isEqualTo("while draining\n");
            assertThat(berth.master().isAlive()).isTrue();
            client.close();
            assertThat(berth.master().waitFor(15, TimeUnit.SECONDS)).as("master exits once drained").isTrue();
            assertThat(berth.master().exitValue()).isZero();
            assertThat(berth.log()).contains("exited after draining");
        }
    }

    @Test
    void reloadsFasterThanWorkersStartKeepAtMostTwoGenerationsAliveAndTheLastOneWins() throws Exception {
        // found by the soak: a reload every 2 s while workers took 3-5 s to start kept 8 alive
        try (Berth berth = Berth.start(dir, Configs.echo(1, ""))) {
            for (int i = 0; i < 5; i++) {
                assertThat(berth.request("reload", false).path("ok").asBoolean()).isTrue();
            }
            java.util.Set<Long> alive = new java.util.HashSet<>();
            int[] most = {0};
            JsonNode settled = berth.awaitStatus(s -> {
                alive.clear();
                Berth.workers(s, "echo").forEach(w -> alive.add(w.path("generation").asLong()));
                most[0] = Math.max(most[0], alive.size());
                return s.path("master").path("generation").asLong() == 3 && alive.equals(java.util.Set.of(3L))
                        && Berth.workers(s, "echo").stream().allMatch(w -> w.path("state").asText().equals("ready"));
            }, java.time.Duration.ofSeconds(60), "generation 3 alone");
            assertThat(most[0]).as("generations alive at once").isLessThanOrEqualTo(2);
            assertThat(settled.path("master").path("generation").asLong()).as("five reloads: one at once, four coalesced").isEqualTo(3);
            assertThat(berth.log()).contains("reload queued: generation 2 is still taking over");
        }
    }

    @Test
    void aMasterStartedWithHangupInterruptAndQuitIgnoredStillReloadsOnHupAndStopsOnInt() throws Exception {
        // what nohup (HUP) and a script's background job (INT, QUIT) hand to berth; a JVM keeps a
        // signal that was ignored at its start ignored, whatever Signal.handle says
        try (Berth berth = Berth.startThrough(List.of("env", "--ignore-signal=HUP,INT,QUIT"), dir, Configs.echo(1, ""),
                Berth.JAR)) {
            long master = berth.master().pid();
            assertThat(berth.log()).as("the premise: it was so").contains("SIGHUP, SIGINT ignored when berth started");

            assertThat(dev.berth.posix.Processes.signal(master, dev.berth.posix.Processes.SIGHUP)).isTrue();
            berth.awaitStatus(s -> s.path("master").path("generation").asLong() == 2
                    && Berth.workers(s, "echo").stream().allMatch(w -> w.path("generation").asLong() == 2
                            && w.path("state").asText().equals("ready")), java.time.Duration.ofSeconds(60),
                    "generation 2 after SIGHUP");
            for (long worker : berth.readyPids("echo")) {
                assertThat(Processes.ignored(worker)).as("signals a worker ignores").isZero();
            }

            assertThat(dev.berth.posix.Processes.signal(master, dev.berth.posix.Processes.SIGINT)).isTrue();
            assertThat(berth.master().waitFor(30, TimeUnit.SECONDS)).as("master stopped by SIGINT").isTrue();
        }
    }

    @Test
    void killedMasterTakesEveryWorkerWithIt() throws Exception {
        try (Berth berth = Berth.start(dir, Configs.echo(3, ""))) {
            List<ProcessHandle> workers = berth.readyPids("echo").stream()
                    .map(pid -> ProcessHandle.of(pid).orElseThrow()).toList();
            assertThat(workers).hasSize(3);
            berth.master().destroyForcibly();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            for (ProcessHandle worker : workers) {
                worker.onExit().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
            assertThat(workers).noneMatch(ProcessHandle::isAlive);
        }
    }

    @Test
    void workersRunAsTheConfiguredUserWhenTheMasterIsRoot() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Processes.isRoot(), "needs root to start workers as another user");
        // nobody must be able to read the jar and reach the run directory
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path jar = Berth.copyJar(Berth.JAR, dir);
        try (Berth berth = Berth.start(dir, Configs.echo(2, "", "  user: nobody"), jar);
             Socket client = new Socket("127.0.0.1", berth.port("echo"))) {
            client.setSoTimeout(5_000);
            assertThat(echo(client, "as nobody\n")).isEqualTo("as nobody\n");
            for (long pid : berth.readyPids("echo")) {
                assertThat(Processes.uids(pid)).as("Uid line of worker " + pid).startsWith("65534\t65534\t65534\t65534");
            }
            assertThat(Processes.uids(berth.master().pid())).startsWith("0\t");
        }
    }

    @Test
    void startReturnsOnceReadyAndStopWaitsForTheMaster() throws Exception {
        Path config = dir.resolve("berth.yaml");
        Files.writeString(config, Configs.echo(2, ""));
        Berth.CliResult started = cli("start", "-c", config.toString());
        try {
            assertThat(started.status()).as(started.output()).isZero();
            assertThat(started.output()).contains("berth started");
            Berth.CliResult status = cli("status", "--json", "-c", config.toString());
            assertThat(status.status()).isZero();
            JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(status.output());
            assertThat(json.path("master").path("generation").asLong()).isEqualTo(1);
            assertThat(json.path("services").get(0).path("listen").get(0).asText()).matches("127\\.0\\.0\\.1:[1-9][0-9]*");
            assertThat(Berth.workers(json, "echo")).hasSize(2).allSatisfy(w -> {
                assertThat(w.path("state").asText()).isEqualTo("ready");
                assertThat(w.has("heartbeat-age-ms")).isTrue();
                assertThat(w.has("active")).isTrue();
                assertThat(w.has("served")).isTrue();
            });
        } finally {
            Berth.CliResult stopped = cli("stop", "-c", config.toString());
            assertThat(stopped.status()).as(stopped.output()).isZero();
        }
        assertThat(Files.exists(dir.resolve("run/berth.sock"))).isFalse();
    }

    @Test
    void startFailsWithTheReasonWhenTheAddressIsTaken() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            Path config = dir.resolve("berth.yaml");
            Files.writeString(config, Configs.echo(1, "").replace("127.0.0.1:0", "127.0.0.1:" + taken.getLocalPort()));
            Berth.CliResult started = cli("start", "-c", config.toString());
            assertThat(started.status()).isNotZero();
            assertThat(started.output()).contains("Address already in use").contains("127.0.0.1:" + taken.getLocalPort());
        }
    }

    @Test
    void checkNamesFileLineAndColumnOfABadValue() throws Exception {
        Path config = dir.resolve("berth.yaml");
        Files.writeString(config, Configs.echo(1, "").replace("kind: echo", "kind: ecko"));
        Berth.CliResult checked = cli("check", "-c", config.toString());
        assertThat(checked.status()).isEqualTo(2);
        assertThat(checked.output()).contains("berth.yaml:").contains("ecko").contains("echo");
    }

    @Test
    void theShippedExamplesAreValid() throws Exception {
        for (String example : List.of("berth.yaml", "mail.yaml")) {
            Path file = Path.of(System.getProperty("berth.peers", "../peers")).resolveSibling("examples").resolve(example);
            Berth.CliResult checked = cli("check", "-c", file.toString());
            assertThat(checked.status()).as(checked.output()).isZero();
        }
    }

    private static Berth.CliResult cli(String... args) throws Exception {
        return Berth.cli(List.of(args));
    }

    private static String echo(Socket client, String line) throws Exception {
        OutputStream out = client.getOutputStream();
        out.write(line.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = client.getInputStream();
        byte[] got = in.readNBytes(line.length());
        return new String(got, StandardCharsets.US_ASCII);
    }
}
