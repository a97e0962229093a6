package dev.berth.it;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real mail peer (Dovecot, clamd, smtp-sink, Postfix, perdition) started by {@code peers/peer}
 * in a scratch directory on loopback ports the test chose. Owned by the test that starts it;
 * {@link #close} stops it by the pid it started (never by name).
 */
final class Peer implements AutoCloseable {

    static final Path SCRIPT = Path.of(System.getProperty("berth.peers", "../peers")).resolve("peer").toAbsolutePath();

    private final String name;
    private final Path dir;
    private final Process process;

    private Peer(String name, Path dir, Process process) {
        this.name = name;
        this.dir = dir;
        this.process = process;
    }

    /**
     * Starts {@code peers/peer command dir args...} and waits until {@code port} accepts.
     *
     * @throws AssertionError when the peer exits or does not listen within 60 s; its output is in the message
     */
    static Peer start(String command, Path dir, int port, Object... args) throws IOException {
        List<String> argv = new ArrayList<>(List.of(SCRIPT.toString(), command, dir.toString()));
        for (Object arg : args) {
            argv.add(String.valueOf(arg));
        }
        Files.createDirectories(dir);
        Path log = dir.resolve("peer-" + command + ".log");
        Process process = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Peer peer = new Peer(command, dir, process);
        peer.awaitListening(port, log);
        return peer;
    }

    /** A loopback port that was free a moment ago. */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    Path dir() {
        return dir;
    }

    private void awaitListening(int port, Path log) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                if (!process.isAlive() && !name.equals("postfix")) {
                    throw new AssertionError(name + " exited (" + process.exitValue() + "): " + Files.readString(log));
                }
                Berth.pause(100);
            }
        }
        close();
        throw new AssertionError(name + " did not listen on " + port + " within 60 s: " + Files.readString(log));
    }

    /** Stops the peer: SIGTERM to the pid started (Postfix: its own stop command), then waits. */
    @Override
    public void close() {
        try {
            if (name.equals("postfix")) {
                new ProcessBuilder(SCRIPT.toString(), "postfix-stop", dir.toString()).inheritIO().start()
                        .waitFor(30, TimeUnit.SECONDS);
            }
            List<ProcessHandle> children = process.descendants().toList();
            process.destroy();
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            children.forEach(ProcessHandle::destroyForcibly);
        } catch (IOException e) {
            throw new AssertionError("cannot stop " + name, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return name + " in " + dir;
    }
}
