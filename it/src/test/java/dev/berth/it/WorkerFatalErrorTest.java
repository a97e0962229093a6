package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.Socket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11 item 3: an Error anywhere in a worker (its Netty handlers, a virtual thread, the heap
 * running out) ends that worker, which the master replaces, instead of leaving it half alive; an
 * exception in a handler ends only its connection.
 */
class WorkerFatalErrorTest {

    private static final String CONFIG = """
            master:
              run-dir: run
              log-dir: log
            pools:
              fault:
                workers: 1
                threads: 1
                jvm-options: %s
            services:
              - name: fault
                kind: fault
                pool: fault
                listen: ["127.0.0.1:0"]
            """.formatted(Configs.TEST_JVM);

    @TempDir
    Path dir;

    @Test
    void anErrorInAHandlerOnAVirtualThreadOrFromAFullHeapEndsTheWorkerAndItIsReplaced() throws Exception {
        try (Berth berth = Berth.start(dir, CONFIG, Berth.JAR, List.of(testClasses()))) {
            int port = berth.port("fault");
            long worker = onlyWorker(berth);
            assertThat(send(port, 'x')).as("an exception ends the connection only").isEmpty();
            assertThat(send(port, '?')).isEqualTo("ok\n");
            assertThat(onlyWorker(berth)).isEqualTo(worker);

            for (char fault : new char[] {'e', 'v', 'o'}) {
                send(port, fault);
                long replacement = replacementOf(berth, worker, "fault " + fault);
                assertThat(send(port, '?')).as("the replacement of worker %d serves", worker).isEqualTo("ok\n");
                worker = replacement;
            }
            assertThat(berth.log()).contains("fault: an Error in a handler", "fault: an Error on a virtual thread",
                    "OutOfMemoryError");
        }
    }

    private static long onlyWorker(Berth berth) {
        List<Long> ready = berth.readyPids("fault");
        assertThat(ready).hasSize(1);
        return ready.getFirst();
    }

    /** Waits until the pool's one ready worker is another than {@code old}, which must have exited. */
    private static long replacementOf(Berth berth, long old, String what) {
        berth.awaitStatus(s -> Berth.workers(s, "fault").stream().anyMatch(w -> w.path("state").asText().equals("ready")
                && w.path("pid").asLong() != old), Duration.ofSeconds(30), "worker " + old + " replaced after " + what);
        assertThat(ProcessHandle.of(old).map(ProcessHandle::isAlive).orElse(false))
                .as("worker %d still alive after %s", old, what).isFalse();
        return onlyWorker(berth);
    }

    /** Sends one byte; returns what came back before the server closed (empty after a reset or 10 s of silence). */
    private static String send(int port, char command) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(command);
            InputStream in = socket.getInputStream();
            byte[] answer = command == '?' ? in.readNBytes(3) : in.readAllBytes();
            return new String(answer, StandardCharsets.US_ASCII);
        } catch (java.io.IOException resetOrSilent) {
            return "";
        }
    }

    private static Path testClasses() throws URISyntaxException {
        return Path.of(FaultKind.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }
}
