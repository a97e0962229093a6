package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11 item 2: run/worker.sock belongs to the workers' user, so any process of that user can
 * connect to it. Hundreds of idle connections from such a process must cost the root master
 * neither a thread nor memory each, must be closed, and must not keep a real worker from starting.
 */
class ControlSocketAbuseTest {

    private static final int CONNECTIONS = 500;
    /**
     * Holds CONNECTIONS connections open until told to go on, then says how many the master closed
     * within 15 s.
     */
    private static final String ATTACKER = """
            import select, signal, socket, sys, time
            signal.alarm(60)
            path, n = sys.argv[1], int(sys.argv[2])
            held = []
            for i in range(n):
                s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
                s.connect(path)
                held.append(s)
            print("connected", len(held), flush=True)
            sys.stdin.readline()
            waiting = {s.fileno(): s for s in held}
            poll = select.poll()
            for fd in waiting:
                poll.register(fd, select.POLLIN | select.POLLHUP)
            closed, deadline = 0, time.monotonic() + 15
            while waiting and time.monotonic() < deadline:
                for fd, events in poll.poll(200):
                    s = waiting.pop(fd, None)
                    if s is None:
                        continue
                    poll.unregister(fd)
                    try:
                        closed += s.recv(64) == b""
                    except OSError:
                        closed += 1
            print("closed", closed, flush=True)
            """;

    @TempDir
    Path dir;

    @Test
    void idleConnectionsFromTheWorkersUserCostTheMasterNothingAndAWorkerStillStarts() throws Exception {
        assumeTrue(Processes.isRoot(), "needs root to run workers and the attacker as nobody");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path jar = Files.copy(Berth.JAR, dir.resolve("berth.jar"));
        try (Berth berth = Berth.start(dir, Configs.echo(1, "", "  user: nobody"), jar)) {
            long master = berth.master().pid();
            long threadsBefore = status(master, "Threads:");
            long rssBefore = status(master, "VmRSS:");

            Process attacker = new ProcessBuilder(Processes.asUser(65534, Processes.SYSTEM_PYTHON, "-c", ATTACKER,
                    dir.resolve("run/worker.sock").toString(), Integer.toString(CONNECTIONS)))
                    .redirectErrorStream(true).start();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(attacker.getInputStream(),
                    StandardCharsets.UTF_8)); OutputStream in = attacker.getOutputStream()) {
                String connected = out.readLine();
                if (!("connected " + CONNECTIONS).equals(connected)) {
                    throw new AssertionError("attacker: " + connected + "\n" + String.join("\n", out.lines().toList()));
                }
                long threadsHeld = status(master, "Threads:");
                long rssHeld = status(master, "VmRSS:");
                in.write('\n');
                in.flush();
                String closed = out.readLine();
                assertThat(attacker.waitFor(30, TimeUnit.SECONDS)).isTrue();

                String figures = "master with %d idle connections: threads %d -> %d, RSS %d -> %d kB, %s".formatted(
                        CONNECTIONS, threadsBefore, threadsHeld, rssBefore, rssHeld, closed);
                assertThat(threadsHeld - threadsBefore).as(figures).isLessThan(10);
                assertThat(rssHeld - rssBefore).as(figures).isLessThan(64 * 1024);
                assertThat(closed).as(figures).isEqualTo("closed " + CONNECTIONS);
            } finally {
                attacker.destroyForcibly();
            }
            assertThat(status(master, "Threads:") - threadsBefore).as("master threads after they closed").isLessThan(10);

            long worker = berth.readyPids("echo").getFirst();
            ProcessHandle.of(worker).ifPresent(ProcessHandle::destroyForcibly);
            berth.awaitStatus(s -> Berth.workers(s, "echo").stream().anyMatch(w -> w.path("state").asText()
                    .equals("ready") && w.path("pid").asLong() != worker), Duration.ofSeconds(30), "a new worker ready");
            assertThat(berth.log()).contains("refused");
        }
    }

    /** A number from /proc/PID/status, e.g. Threads: or VmRSS: (kB). */
    private static long status(long pid, String field) throws IOException {
        List<String> lines = Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"));
        String line = lines.stream().filter(l -> l.startsWith(field)).findFirst().orElseThrow();
        return Long.parseLong(line.substring(field.length()).strip().split("\\s+")[0]);
    }
}
