package dev.berth.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {

    @TempDir
    Path root;

    /** What a worker killed mid-message leaves: its unlocked lock file and its directory. */
    private Path deadOwner(String name) throws IOException {
        Path directory = Files.createDirectories(root.resolve(name));
        Files.writeString(directory.resolve("msg-1.tmp"), "half a message");
        Files.createFile(root.resolve(name + ".lock"));
        return directory;
    }

    private List<String> names() throws IOException {
        try (Stream<Path> entries = Files.list(root)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void filesOfADeadOwnerAreRemovedWhenTheNextOneOpens() throws IOException {
        deadOwner("4242-dead");
        try (Spool spool = Spool.open(root)) {
            assertThat(names()).containsExactlyInAnyOrder(spool.directory().getFileName().toString(),
                    spool.directory().getFileName() + ".lock");
        }
    }

    @Test
    void anOwnerKeepsItsFilesUntilItClosesAndThenLeavesNothing() throws IOException {
        Spool first = Spool.open(root);
        Path file = first.newFile();
        Files.writeString(file, "in flight");
        try (Spool second = Spool.open(root)) {
            assertThat(file).exists();
            assertThat(second.newFile()).isNotEqualTo(file);
        }
        first.close();
        first.close();
        assertThat(names()).isEmpty();
    }

    @Test
    void aLiveOwnerInAnotherProcessKeepsItsFiles() throws Exception {
        Path directory = deadOwner("777-alive");
        Process owner = new ProcessBuilder("python3", "-c", """
                import fcntl, sys
                f = open(sys.argv[1], 'w')
                fcntl.lockf(f, fcntl.LOCK_EX)
                print('locked', flush=True)
                sys.stdin.read()
                """, root.resolve("777-alive.lock").toString()).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(owner.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).isEqualTo("locked");
            try (Spool spool = Spool.open(root)) {
                assertThat(directory.resolve("msg-1.tmp")).exists();
            }
            owner.getOutputStream().close();
            assertThat(owner.waitFor(10, TimeUnit.SECONDS)).isTrue();
            try (Spool spool = Spool.open(root)) {
                assertThat(directory).doesNotExist();
            }
        } finally {
            owner.destroyForcibly();
        }
    }

    @Test
    void aRootOthersMayWriteOrALinkIsRefused() throws IOException {
        Path open = Files.createDirectory(root.resolve("open"));
        Files.setPosixFilePermissions(open, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThatThrownBy(() -> Spool.open(open)).hasCauseInstanceOf(Spool.NotPrivateException.class)
                .hasMessageContaining(open.toString());
        Path link = Files.createSymbolicLink(root.resolve("link"), Files.createDirectory(root.resolve("target")));
        assertThatThrownBy(() -> Spool.open(link)).hasCauseInstanceOf(Spool.NotPrivateException.class);
    }
}
