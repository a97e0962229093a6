package dev.berth.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.master.JavaCommand;
import dev.berth.master.MasterClient;
import dev.berth.master.MasterException;
import dev.berth.testpeers.Await;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real berth master (and so real worker JVMs) started from the dist jar on a config written
 * into a test directory. Every wait is bounded. {@link #close} kills whatever is left.
 */
final class Berth implements AutoCloseable {

    /**
     * A private copy of the dist jar (with its class-data archive), so that a rebuild of
     * dist/target/berth.jar while tests run cannot pull classes from under a running master or
     * worker.
     */
    static final Path JAR = privateCopy(Path.of(System.getProperty("berth.jar", "../dist/target/berth.jar")));
    static final String JAVA = System.getProperty("berth.java", Path.of(System.getProperty("java.home"), "bin", "java").toString());

    private final Path dir;
    private final Path config;
    private final Process master;
    private final MasterClient client;

    private static Path privateCopy(Path jar) {
        try {
            Path dir = Files.createTempDirectory("berth-it-jar");
            dir.toFile().deleteOnExit();
            Path copy = copyJar(jar, dir);
            copy.toFile().deleteOnExit();
            copy.resolveSibling("berth.jsa").toFile().deleteOnExit();
            return copy;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot copy " + jar, e);
        }
    }

    /**
     * Copies {@code jar} to dir/berth.jar, and its class-data archive (berth.jsa) when there is one,
     * keeping their modification times: a JVM uses the archive only with the jar it was made from.
     *
     * @return the copy of the jar
     */
    static Path copyJar(Path jar, Path dir) throws IOException {
        Path copy = dir.resolve("berth.jar");
        Files.copy(jar.toAbsolutePath(), copy, StandardCopyOption.COPY_ATTRIBUTES);
        Path archive = jar.toAbsolutePath().resolveSibling("berth.jsa");
        if (Files.isRegularFile(archive)) {
            Files.copy(archive, dir.resolve("berth.jsa"), StandardCopyOption.COPY_ATTRIBUTES);
        }
        return copy;
    }

    private Berth(Path dir, Path config, Process master) {
        this.dir = dir;
        this.config = config;
        this.master = master;
        this.client = new MasterClient(dir.resolve("run"));
    }

    /** Writes {@code yaml} to dir/berth.yaml, runs a master on it, and waits until it is ready. */
    static Berth start(Path dir, String yaml) throws IOException {
        return start(dir, yaml, JAR);
    }

    static Berth start(Path dir, String yaml, Path jar) throws IOException {
        return start(dir, yaml, jar, java.util.Map.of(), List.of(), List.of());
    }

    /** As {@link #start(Path, String)}, with {@code env} added to the master's environment. */
    static Berth start(Path dir, String yaml, Path jar, java.util.Map<String, String> env) throws IOException {
        return start(dir, yaml, jar, env, List.of(), List.of());
    }

    /**
     * As {@link #start(Path, String)}, with more class path entries after the jar, for a test's own
     * kinds (its workers get the same class path).
     */
    static Berth start(Path dir, String yaml, Path jar, List<Path> more) throws IOException {
        return start(dir, yaml, jar, java.util.Map.of(), more, List.of());
    }

    /** As {@link #start(Path, String)}, the master run through {@code prefix} ({@code ip netns exec NS}). */
    static Berth startThrough(List<String> prefix, Path dir, String yaml, Path jar) throws IOException {
        return start(dir, yaml, jar, java.util.Map.of(), List.of(), prefix);
    }

    private static Berth start(Path dir, String yaml, Path jar, java.util.Map<String, String> env, List<Path> more,
                               List<String> prefix) throws IOException {
        Path config = dir.resolve("berth.yaml");
        Files.writeString(config, yaml);
        List<String> classPath = new ArrayList<>(List.of(jar.toString()));
        more.forEach(p -> classPath.add(p.toString()));
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(JAVA, "--enable-native-access=ALL-UNNAMED"));
        command.addAll(JavaCommand.QUIET);
        command.addAll(JavaCommand.MASTER_DEFAULTS);
        Path archive = jar.resolveSibling("berth.jsa");
        if (Files.isRegularFile(archive)) {
            command.addAll(List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off", "-Xlog:aot=off"));
        }
        command.addAll(List.of("-cp", String.join(java.io.File.pathSeparator, classPath), "dev.berth.cli.Main", "run",
                "-c", config.toString()));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(env);
        Process master = builder
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("master.log").toFile())
                .start();
        Berth berth = new Berth(dir, config, master);
        try {
            berth.awaitReady(Duration.ofSeconds(60));
        } catch (RuntimeException | Error notReady) {
            berth.close();
            throw notReady;
        }
        return berth;
    }

    /**
     * Kills a master that {@code berth start} left running in {@code dir} (its run/berth.pid) and
     * every process it started: for tests that start daemons, after they ran.
     */
    static void killDaemon(Path dir) throws IOException {
        Path pidFile = dir.resolve("run/berth.pid");
        if (Files.exists(pidFile)) {
            long pid = Long.parseLong(Files.readString(pidFile).strip());
            ProcessHandle.of(pid).ifPresent(master -> {
                master.descendants().forEach(ProcessHandle::destroyForcibly);
                master.destroyForcibly();
            });
        }
    }

    Path dir() {
        return dir;
    }

    Path config() {
        return config;
    }

    Process master() {
        return master;
    }

    /** The status object, as {@code berth status --json} prints it. */
    JsonNode status() {
        JsonNode reply = client.request("status", false);
        if (!reply.path("ok").asBoolean()) {
            throw new AssertionError("status failed: " + reply);
        }
        return reply.path("status");
    }

    /** Sends a command; returns the whole reply ({@code ok}, {@code error}). */
    JsonNode request(String command, boolean now) {
        return client.request(command, now);
    }

    void awaitReady(Duration timeout) {
        awaitReply(r -> r.path("ready").asBoolean(), timeout, "ready");
    }

    /** Polls status until {@code condition} holds. */
    JsonNode awaitStatus(Predicate<JsonNode> condition, Duration timeout, String what) {
        return awaitReply(r -> condition.test(r.path("status")), timeout, what).path("status");
    }

    private JsonNode awaitReply(Predicate<JsonNode> condition, Duration timeout, String what) {
        JsonNode[] last = {null};
        boolean held = Await.until(timeout, Duration.ofMillis(50), () -> {
            if (!master.isAlive()) {
                throw new AssertionError("master exited (" + master.exitValue() + ") while waiting for " + what
                        + "\n" + log());
            }
            try {
                last[0] = client.request("status", false);
                return condition.test(last[0]);
            } catch (MasterException notYet) {
                return false; // socket not bound yet
            }
        });
        if (!held) {
            throw new AssertionError("not " + what + " within " + timeout + "; last status " + last[0] + "\n" + log());
        }
        return last[0];
    }

    /** The port actually bound for a service's first listen address. */
    int port(String service) {
        for (JsonNode s : status().path("services")) {
            if (s.path("name").asText().equals(service)) {
                String address = s.path("listen").get(0).asText();
                return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
            }
        }
        throw new AssertionError("no service " + service);
    }

    /** The workers of a pool from a status object. */
    static List<JsonNode> workers(JsonNode status, String pool) {
        List<JsonNode> workers = new ArrayList<>();
        for (JsonNode p : status.path("pools")) {
            if (p.path("name").asText().equals(pool)) {
                p.path("workers").forEach(workers::add);
            }
        }
        return workers;
    }

    /** Pids of the pool's ready workers. */
    List<Long> readyPids(String pool) {
        return workers(status(), pool).stream().filter(w -> w.path("state").asText().equals("ready"))
                .map(w -> w.path("pid").asLong()).toList();
    }

    /** Closes a test's berth and peers, skipping those that never started; the first failure fails the test. */
    static void closeAll(AutoCloseable... started) {
        java.util.stream.Stream.of(started).filter(java.util.Objects::nonNull).forEach(c -> {
            try {
                c.close();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }

    /** Runs the CLI in its own JVM on this master's config, as an operator would. */
    CliResult cli(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(args));
        command.addAll(List.of("-c", config.toString()));
        return cli(command);
    }

    /** Runs the CLI in its own JVM with {@code args}, within 120 s; returns exit status and output. */
    static CliResult cli(List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(JAVA, "--enable-native-access=ALL-UNNAMED", "-cp",
                JAR.toString(), "dev.berth.cli.Main"));
        command.addAll(args);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("berth " + String.join(" ", args) + " did not finish");
        }
        return new CliResult(p.exitValue(), out);
    }

    record CliResult(int status, String output) {
    }

    String log() {
        try {
            return Files.readString(dir.resolve("master.log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Kills the master and every process it started that is still alive. */
    @Override
    public void close() {
        List<ProcessHandle> children = master.descendants().toList();
        master.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
        try {
            master.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
