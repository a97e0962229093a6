package dev.berth.maildir;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two JVMs on one Maildir root, as two worker processes are. */
class MultiProcessTest {

    private static final int EACH = 40;

    @TempDir
    Path root;

    private Process other(String... args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new java.util.ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"), OtherWorker.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    @Test
    void twoProcessesDeliveringAtOnceLoseNothing() throws Exception {
        MaildirStore store = MaildirStore.at(root, "h");
        Path box = root.resolve("example.test/alice");
        Process child = other("deliver", root.toString(), box.toString(), Integer.toString(EACH));
        try {
            for (int i = 0; i < EACH; i++) {
                store.deliver(List.of(new MaildirTarget(box, new byte[0])), MessageBody.of("from the test\r\n".getBytes(US_ASCII)));
            }
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("child finished").isTrue();
            assertThat(new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip()).isEqualTo("done");
        } finally {
            child.destroyForcibly();
        }
        List<MaildirMessage> messages = store.open(box).messages();
        assertThat(messages).hasSize(2 * EACH);
        assertThat(messages.stream().map(MaildirMessage::uid).distinct()).hasSize(2 * EACH);
        assertThat(messages.stream().map(m -> m.uid().split("P")[1].split("Q")[0]).distinct())
                .containsExactlyInAnyOrder(Long.toString(ProcessHandle.current().pid()), Long.toString(child.pid()));
    }

    @Test
    void aLockHeldByAnotherJvmExcludesThisOneAndViceVersa() throws Exception {
        MaildirStore store = MaildirStore.at(root, "h");
        Path box = root.resolve("bob");
        Process child = other("lock", root.toString(), box.toString());
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).isEqualTo("locked");
            assertThat(store.lock(box)).isEmpty();
            child.getOutputStream().close();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroyForcibly();
        }
        try (MaildirLock lock = store.lock(box).orElseThrow()) {
            Process second = other("lock", root.toString(), box.toString());
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(second.getInputStream(), StandardCharsets.UTF_8));
                assertThat(out.readLine()).isEqualTo("busy");
                second.getOutputStream().close();
                assertThat(second.waitFor(30, TimeUnit.SECONDS)).isTrue();
            } finally {
                second.destroyForcibly();
            }
            assertThat(lock.mailbox()).isEqualTo(box.toRealPath());
        }
    }
}
