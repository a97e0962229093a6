package dev.berth.maildir;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MaildirLockTest {

    @TempDir
    Path root;

    @Test
    void aSecondLockerInTheSameProcessIsExcludedUntilTheFirstCloses() throws IOException {
        MaildirStore store = MaildirStore.at(root);
        Path box = store.mailbox(new MailUser("alice", "example.test"));
        Optional<MaildirLock> first = store.lock(box);
        assertThat(first).isPresent();
        assertThat(first.get().mailbox()).isEqualTo(box.toRealPath());
        assertThat(store.lock(box)).isEmpty();
        assertThat(MaildirStore.at(root).lock(root.resolve("example.test/../example.test/alice"))).isEmpty();
        assertThat(box.resolve(".berth.lock")).isRegularFile();

        first.get().close();
        first.get().close();

        try (MaildirLock again = store.lock(box).orElseThrow()) {
            assertThat(again.mailbox()).isEqualTo(box.toRealPath());
        }
        assertThat(store.lock(root.resolve("other"))).isPresent();
    }

    /** python3's fcntl.lockf takes the same POSIX record lock, as another worker JVM would. */
    @Test
    void aLockHeldByAnotherProcessExcludesUsAndIsFreeAfterItExits() throws Exception {
        MaildirStore store = MaildirStore.at(root);
        Path box = root.resolve("bob");
        store.lock(box).orElseThrow().close();
        Process python = new ProcessBuilder("python3", "-c", """
                import fcntl, sys
                f = open(sys.argv[1], 'a')
                fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
                print('locked', flush=True)
                sys.stdin.read()
                """, box.resolve(".berth.lock").toString()).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(python.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).isEqualTo("locked");
            assertThat(store.lock(box)).isEmpty();
            python.getOutputStream().close();
            assertThat(python.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(python.exitValue()).isZero();
            try (MaildirLock lock = store.lock(box).orElseThrow()) {
                assertThat(lock.mailbox()).isEqualTo(box.toRealPath());
            }
        } finally {
            python.destroyForcibly();
        }
    }

    /** The converse: while we hold the lock, another process cannot take it. */
    @Test
    void anotherProcessCannotTakeALockWeHold() throws Exception {
        MaildirStore store = MaildirStore.at(root);
        Path box = root.resolve("carol");
        try (MaildirLock lock = store.lock(box).orElseThrow()) {
            Process python = new ProcessBuilder("python3", "-c", """
                    import fcntl, sys
                    f = open(sys.argv[1], 'a')
                    try:
                        fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
                        print('locked')
                    except OSError:
                        print('busy')
                    """, box.resolve(".berth.lock").toString()).redirectErrorStream(true).start();
            try {
                assertThat(python.waitFor(10, TimeUnit.SECONDS)).isTrue();
                assertThat(new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip()).isEqualTo("busy");
            } finally {
                python.destroyForcibly();
            }
        }
    }
}
