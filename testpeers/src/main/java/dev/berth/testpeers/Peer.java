package dev.berth.testpeers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * One real mail peer started by the repository's launcher {@code peers/peer COMMAND DIR ARGS...}
 * (dovecot, dovecot-proxy, clamd, rspamd, sink, postfix, perdition) in a scratch directory, on
 * loopback ports the caller chose. The launcher execs the peer, so the pid started here is the
 * peer's own; postfix alone daemonizes and is stopped by {@code peers/peer postfix-stop DIR}.
 *
 * <p>Ownership: the caller owns the peer and must {@link #close} it (try-with-resources or an
 * {@code @AfterEach}/{@code @AfterAll}); close stops it by the pid started, never by name. The
 * launcher's own output goes to {@code DIR/peer-COMMAND.log} ({@link #output()}).
 *
 * <p>Threads: not thread-safe; one test thread starts, uses and closes it. Every wait is bounded.
 */
public final class Peer implements AutoCloseable {

    /** How long {@link #start(String, Path, int, Object...)} waits for the port by default. */
    public static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final String command;
    private final Path dir;
    private final Process process;
    private boolean closed;

    private Peer(String command, Path dir, Process process) {
        this.command = command;
        this.dir = dir;
        this.process = process;
    }

    /**
     * Starts {@code peers/peer command dir args...} and waits (at most {@link #START_TIMEOUT})
     * until something accepts on 127.0.0.1:{@code port}. Blocks the calling thread.
     *
     * @throws PeerException when the peer exits or does not listen in time; it is stopped then,
     *     and the message carries its output
     */
    public static Peer start(String command, Path dir, int port, Object... args) {
        Peer peer = launch(command, dir, args);
        peer.awaitReady("listening on " + port, START_TIMEOUT, () -> accepts(port));
        return peer;
    }

    /**
     * Starts {@code peers/peer command dir args...} without waiting; the caller then waits with
     * {@link #awaitReady}. Blocks only to create {@code dir} and fork.
     *
     * @throws PeerException when the launcher cannot be run
     */
    public static Peer launch(String command, Path dir, Object... args) {
        List<String> argv = new ArrayList<>(List.of(script().toString(), command, dir.toString()));
        for (Object arg : args) {
            argv.add(String.valueOf(arg));
        }
        try {
            Files.createDirectories(dir);
            Path log = dir.resolve("peer-" + command + ".log");
            Process process = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            return new Peer(command, dir, process);
        } catch (IOException e) {
            throw new PeerException("cannot run " + argv, e);
        }
    }

    /**
     * Waits, polling every 50 ms for at most {@code timeout}, until {@code ready} holds. Blocks the
     * calling thread. Postfix's launcher exiting is expected (it daemonizes); any other peer
     * exiting fails at once.
     *
     * @throws PeerException when the peer exits or is not ready in time; the peer is stopped
     *     first and the message carries {@code what}, its output and {@code DIR/log}s
     */
    public void awaitReady(String what, Duration timeout, BooleanSupplier ready) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ready.getAsBoolean()) {
            if (!process.isAlive() && !command.equals("postfix")) {
                String exit = command + " exited (" + process.exitValue() + ") before " + what;
                close();
                throw new PeerException(exit + ": " + output());
            }
            if (System.nanoTime() > deadline) {
                close();
                throw new PeerException(command + " not " + what + " within " + timeout + ": " + output());
            }
            pause(process, 50);
        }
    }

    /** The scratch directory the peer runs in (owned by the caller, usually a {@code @TempDir}). */
    public Path dir() {
        return dir;
    }

    /** The pid started; for postfix, the launcher's (the daemon is stopped by its own command). */
    public long pid() {
        return process.pid();
    }

    /** Whether the started process still runs. Any thread; never blocks. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** The launcher's and the peer's stdout and stderr so far; a note instead if unreadable. */
    public String output() {
        return read(dir.resolve("peer-" + command + ".log"));
    }

    /**
     * Stops the peer: postfix by {@code peers/peer postfix-stop DIR}, then SIGTERM to the pid
     * started, SIGKILL after 15 s, and SIGKILL to the descendants it had. Idempotent; blocks up to
     * about 45 s; never throws (an interrupt is restored and the peer killed).
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (command.equals("postfix")) {
                new ProcessBuilder(script().toString(), "postfix-stop", dir.toString()).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("peer-postfix.log").toFile()))
                        .start().waitFor(30, TimeUnit.SECONDS);
            }
            stop(process);
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    @Override
    public String toString() {
        return command + " (pid " + process.pid() + ") in " + dir;
    }

    /**
     * SIGTERM to {@code process}, SIGKILL after 15 s, then SIGKILL to the descendants it had.
     * Blocks up to about 20 s.
     */
    static void stop(Process process) throws InterruptedException {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        children.forEach(ProcessHandle::destroyForcibly);
    }

    /** A loopback port that was free a moment ago, for a peer that needs a fixed one. Any thread. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether something accepts a TCP connection on 127.0.0.1:{@code port} within 200 ms. */
    public static boolean accepts(int port) {
        try (Socket probe = new Socket()) {
            probe.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The launcher {@code peers/peer}, found by walking up from the working directory (tests run in
     * their module's directory) until {@code peers/peer} exists.
     *
     * @throws PeerException when no directory above holds it
     */
    public static Path script() {
        return peers().resolve("peer");
    }

    /** The repository's {@code peers} directory (recipes, signatures); see {@link #script()}. */
    public static Path peers() {
        Path here = Path.of("").toAbsolutePath();
        for (Path at = here; at != null; at = at.getParent()) {
            if (Files.isRegularFile(at.resolve("peers/peer"))) {
                return at.resolve("peers");
            }
        }
        throw new PeerException("peers/peer not found in " + here + " or above");
    }

    /** Whether {@code binary} (e.g. {@code "dovecot"}) is an executable in /usr/sbin, /usr/bin or PATH. */
    public static boolean installed(String binary) {
        List<String> dirs = new ArrayList<>(List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin"));
        dirs.addAll(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        return dirs.stream().filter(d -> !d.isEmpty()).anyMatch(d -> Files.isExecutable(Path.of(d, binary)));
    }

    /** Whether this JVM runs as root (uid 0): Dovecot, clamd and rspamd drop privileges and need it. */
    public static boolean root() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(no " + file.getFileName() + ": " + e + ")";
        }
    }

    static void pause(Process process, long millis) {
        try {
            process.waitFor(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PeerException("interrupted while waiting for " + process.pid(), e);
        }
    }
}
