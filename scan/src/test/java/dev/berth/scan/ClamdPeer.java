package dev.berth.scan;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real clamd (/usr/sbin/clamd) in a temporary directory with only the custom test signatures
 * (peers/custom.ndb and custom.hdb), listening on a free loopback TCP port and a Unix socket;
 * {@link #close()} stops exactly the process it started.
 */
final class ClamdPeer implements AutoCloseable {

    static final Path PEERS = Path.of(System.getProperty("user.dir")).resolveSibling("peers");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    final Path socket;
    final int port;
    private final Process process;

    private ClamdPeer(Path socket, int port, Process process) {
        this.socket = socket;
        this.port = port;
        this.process = process;
    }

    /** Starts clamd in {@code dir} and waits (bounded) until both sockets accept. */
    static ClamdPeer start(Path dir, String streamMaxLength) throws IOException, InterruptedException {
        Path db = Files.createDirectories(dir.resolve("db"));
        Files.copy(PEERS.resolve("custom.ndb"), db.resolve("custom.ndb"));
        Files.copy(PEERS.resolve("custom.hdb"), db.resolve("custom.hdb"));
        Path socket = dir.resolve("clamd.sock");
        int port = freePort();
        Path conf = dir.resolve("clamd.conf");
        Files.writeString(conf, String.join("\n",
                "DatabaseDirectory " + db,
                "LocalSocket " + socket,
                "TCPSocket " + port,
                "TCPAddr 127.0.0.1",
                "Foreground yes",
                "LogFile " + dir.resolve("clamd.log"),
                "User root",
                "StreamMaxLength " + streamMaxLength,
                "MaxThreads 4",
                "ReadTimeout 10",
                "CommandReadTimeout 5",
                "SelfCheck 0", ""));
        Process process = new ProcessBuilder("/usr/sbin/clamd", "-c", conf.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("clamd.out").toFile())
                .start();
        ClamdPeer peer = new ClamdPeer(socket, port, process);
        try {
            peer.awaitReady(dir);
        } catch (IOException | RuntimeException | InterruptedException e) {
            peer.close();
            throw e;
        }
        return peer;
    }

    /** A loopback port that was free a moment ago. */
    static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    private void awaitReady(Path dir) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("clamd exited with " + process.exitValue() + ": " + Files.readString(dir.resolve("clamd.out")));
            }
            if (Files.exists(socket) && accepts()) {
                return;
            }
            process.waitFor(50, TimeUnit.MILLISECONDS);
        }
        throw new IOException("clamd did not listen within " + START_TIMEOUT);
    }

    private boolean accepts() {
        try (Socket probe = new Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Stops the clamd this peer started (SIGTERM, then SIGKILL after 10 s) and waits for it. */
    @Override
    public void close() {
        try {
            stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
