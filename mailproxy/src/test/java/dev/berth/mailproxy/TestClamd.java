package dev.berth.mailproxy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real clamd with only the repository's custom test signatures ({@code peers/custom.ndb} and
 * {@code custom.hdb}), on a free loopback TCP port; {@link #close} stops the process it started.
 */
final class TestClamd implements AutoCloseable {

    final int port;
    private final Process process;

    private TestClamd(int port, Process process) {
        this.port = port;
        this.process = process;
    }

    /** Starts clamd under {@code base} and waits (bounded, 30 s) until its port accepts. */
    static TestClamd start(Path base) throws IOException, InterruptedException {
        Path peers = TestDovecot.recipe().getParent();
        Path dir = Files.createDirectories(base.resolve("clamav"));
        Path db = Files.createDirectories(dir.resolve("db"));
        Files.copy(peers.resolve("custom.ndb"), db.resolve("custom.ndb"));
        Files.copy(peers.resolve("custom.hdb"), db.resolve("custom.hdb"));
        int port = TestDovecot.freePort();
        Path conf = dir.resolve("clamd.conf");
        Files.writeString(conf, String.join("\n", "DatabaseDirectory " + db, "TCPSocket " + port, "TCPAddr 127.0.0.1",
                "Foreground yes", "LogFile " + dir.resolve("clamd.log"), "User root", "MaxThreads 2",
                "ReadTimeout 10", "CommandReadTimeout 5", "SelfCheck 0", ""));
        Process process = new ProcessBuilder("/usr/sbin/clamd", "-c", conf.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("clamd.out").toFile()).start();
        TestClamd clamd = new TestClamd(port, process);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IOException("clamd exited with " + process.exitValue() + ": " + Files.readString(dir.resolve("clamd.out")));
            }
            try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return clamd;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    clamd.close();
                    throw new IOException("clamd did not listen within 30 s", e);
                }
                process.waitFor(50, TimeUnit.MILLISECONDS);
            }
        }
    }

    /** Stops the started clamd (SIGTERM, then SIGKILL after 10 s). */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
