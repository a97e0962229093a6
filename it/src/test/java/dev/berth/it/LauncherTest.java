package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.master.MasterClient;
import dev.berth.testpeers.Await;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11 item 1: {@code bin/berth} runs masters and workers from a copy of the jar that no other
 * user could have prepared, and that a rebuild does not change under them.
 */
class LauncherTest {

    private static final Path BIN = Path.of(System.getProperty("berth.bin", "../bin/berth")).toAbsolutePath();
    private static final long NOBODY = 65534;

    @TempDir
    Path dir;

    private Path tmp;
    private Path jar;
    private Path config;

    @BeforeEach
    void prepare() throws IOException {
        assumeTrue(Processes.isRoot(), "the attack needs a second user, made with setpriv as root");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        tmp = Files.createDirectory(dir.resolve("tmp"));
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxrwxrwx"));
        Command sticky = Command.run(dir, "chmod", "1777", tmp.toString());
        assertThat(sticky.status()).as(sticky.output()).isZero();
        jar = Files.copy(Berth.JAR, dir.resolve("berth.jar"));
        config = Files.writeString(dir.resolve("berth.yaml"), Configs.echo(1, "", "  user: nobody"));
    }

    @AfterEach
    void stopWhatIsLeft() throws IOException {
        Berth.killDaemon(dir);
    }

    @Test
    void aJarPlantedByAnotherUserIsNeverRun() throws Exception {
        Path planted = plantedJar();
        String name = sha256(jar).substring(0, 16);
        // the old place, and the new predictable one, both prepared by nobody before root starts berth
        Command plant = Command.run(dir, Processes.asUser(NOBODY, "sh", "-c", "for d in berth-jars berth-jars-0; do mkdir -m 0755 \"$1/$d\" \"$1/$d/$3\" && cp \"$2\" \"$1/$d/$3/berth.jar\" || exit 1; done",
                "sh", tmp.toString(), planted.toString(), name));
        assertThat(plant.status()).as(plant.output()).isZero();

        Command started = berth("start");

        assertThat(dir.resolve("pwned")).as("the planted jar ran as root").doesNotExist();
        assertThat(started.status()).as(started.output()).isZero();
        assertThat(started.output()).contains("berth started").contains("is not a private directory of uid 0");
        Path running = masterJar();
        assertThat(running.getParent().getParent()).isNotIn(tmp.resolve("berth-jars"), tmp.resolve("berth-jars-0"));
        assertThat(Files.getAttribute(running, "unix:uid")).isEqualTo(0);
        for (Path directory : List.of(running.getParent(), running.getParent().getParent())) {
            assertThat(Files.getAttribute(directory, "unix:uid")).isEqualTo(0);
            assertThat(Files.getPosixFilePermissions(directory))
                    .doesNotContain(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);
        }
        assertThat(Files.mismatch(running, jar)).isEqualTo(-1L);
        assertThat(berth("stop").status()).isZero();
    }

    @Test
    void aRebuiltJarDoesNotReachRunningWorkers() throws Exception {
        Command started = berth("start");
        assertThat(started.status()).as(started.output()).isZero();
        Path running = masterJar();
        assertThat(running.getParent().getParent()).isEqualTo(tmp.resolve("berth-jars-0"));
        assertThat(running.getFileName()).as("the archive is taken only with a jar of the same name").hasToString("berth.jar");

        Files.writeString(jar, "a rebuild in progress, not a jar yet");
        long old = readyWorker(-1);
        ProcessHandle.of(old).ifPresent(ProcessHandle::destroyForcibly);
        long replacement = readyWorker(old);

        assertThat(replacement).isNotEqualTo(old);
        Files.copy(Berth.JAR, jar, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThat(berth("stop").status()).isZero();
    }

    /** Waits for a ready worker other than {@code not}; returns its pid. */
    private long readyWorker(long not) {
        MasterClient client = new MasterClient(dir.resolve("run"));
        long[] found = {-1};
        Await.require("a ready worker other than " + not, Duration.ofSeconds(30), () -> {
            for (var worker : Berth.workers(client.request("status", false).path("status"), "echo")) {
                if (worker.path("state").asText().equals("ready") && worker.path("pid").asLong() != not) {
                    found[0] = worker.path("pid").asLong();
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    private Command berth(String command) throws IOException {
        Map<String, String> env = Map.of("TMPDIR", tmp.toString(), "BERTH_JAR", jar.toString(),
                "JAVA_HOME", System.getProperty("java.home"));
        return Command.run(dir, env, new byte[0], List.of(BIN.toString(), command, "-c", config.toString()));
    }

    /** The jar on the running master's class path, from its command line. */
    private Path masterJar() throws IOException {
        long pid = Long.parseLong(Files.readString(dir.resolve("run/berth.pid")).strip());
        List<String> argv = List.of(Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")).split("\0"));
        return Path.of(argv.get(argv.indexOf("-cp") + 1));
    }

    /** A jar whose {@code dev.berth.cli.Main} leaves dir/pwned behind: what an attacker would plant. */
    private Path plantedJar() throws IOException {
        Path src = Files.createDirectories(dir.resolve("planted/dev/berth/cli")).resolve("Main.java");
        Files.writeString(src, """
                package dev.berth.cli;
                public class Main {
                    public static void main(String[] args) throws Exception {
                        java.nio.file.Files.writeString(java.nio.file.Path.of("%s"), "ran as root");
                    }
                }
                """.formatted(dir.resolve("pwned")));
        int compiled = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", dir.resolve("planted").toString(),
                src.toString());
        assertThat(compiled).isZero();
        Path planted = dir.resolve("planted.jar");
        try (OutputStream file = Files.newOutputStream(planted); JarOutputStream out = new JarOutputStream(file)) {
            out.putNextEntry(new JarEntry("dev/berth/cli/Main.class"));
            out.write(Files.readAllBytes(src.resolveSibling("Main.class")));
            out.closeEntry();
        }
        Files.setPosixFilePermissions(planted, PosixFilePermissions.fromString("rw-r--r--"));
        return planted;
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
