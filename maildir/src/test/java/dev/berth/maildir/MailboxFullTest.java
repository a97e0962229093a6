package dev.berth.maildir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import dev.berth.testpeers.Commands;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MailboxFullTest {

    @Test
    void noSpaceAndQuotaErrorsAreMailboxFull() {
        IOException enospc = new IOException("No space left on device");
        assertThat(MailboxFullException.classify(enospc)).isInstanceOf(MailboxFullException.class).hasCause(enospc);
        IOException wrapped = new IOException("write failed", new FileSystemException("/m/tmp/x: Disk quota exceeded"));
        assertThat(MailboxFullException.classify(wrapped)).isInstanceOf(MailboxFullException.class);
        IOException other = new IOException("Permission denied");
        assertThat(MailboxFullException.classify(other)).isSameAs(other);
        MailboxFullException full = new MailboxFullException("full", enospc);
        assertThat(MailboxFullException.classify(full)).isSameAs(full);
    }

    /** A real ENOSPC from a 64 KiB tmpfs; needs root (as on the build machine), skipped otherwise. */
    @Test
    void aFullDiskThrowsMailboxFullAndLeavesNothingBehind(@TempDir Path dir) throws Exception {
        Path mnt = Files.createDirectory(dir.resolve("mnt"));
        assumeThat(run("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", mnt.toString())).as("mount a tmpfs (root only)").isZero();
        try {
            MaildirStore store = MaildirStore.at(mnt);
            Path a = mnt.resolve("example.test/alice");
            Path b = mnt.resolve("example.test/bob");
            byte[] body = new byte[40 * 1024];
            Arrays.fill(body, (byte) 'x');

            assertThatThrownBy(() -> store.deliver(List.of(new MaildirTarget(a, new byte[0]), new MaildirTarget(b, new byte[0])),
                    MessageBody.of(body))).isInstanceOf(MailboxFullException.class).hasMessageContaining("No space left on device");

            for (Path box : List.of(a, b)) {
                assertThat(MaildirDeliveryTest.list(box.resolve("tmp"))).isEmpty();
                assertThat(MaildirDeliveryTest.list(box.resolve("new"))).isEmpty();
            }
            assertThat(store.deliver(List.of(new MaildirTarget(a, new byte[0])), MessageBody.of(body))).hasSize(1);
        } finally {
            assertThat(run("umount", mnt.toString())).isZero();
        }
    }

    private static int run(String... command) {
        return Commands.run(Path.of(""), "", Duration.ofSeconds(10), List.of(command)).exit();
    }
}
