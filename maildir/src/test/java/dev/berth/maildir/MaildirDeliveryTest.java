package dev.berth.maildir;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MaildirDeliveryTest {

    private static final byte[] BODY = "Subject: hi\r\n\r\nbody line\r\n".getBytes(US_ASCII);

    @TempDir
    Path root;

    @Test
    void deliveryToTwoTargetsWritesPrefixAndBodyByteExactIntoNew() throws IOException {
        MaildirStore store = MaildirStore.at(root, "mx.example.test");
        Path alice = store.mailbox(new MailUser("alice", "example.test"));
        Path bob = store.mailbox(new MailUser("bob", ""));
        byte[] pa = "Delivered-To: alice@example.test\r\n".getBytes(US_ASCII);
        byte[] pb = "Delivered-To: bob\r\n".getBytes(US_ASCII);

        List<Path> paths = store.deliver(List.of(new MaildirTarget(alice, pa), new MaildirTarget(bob, pb)), MessageBody.of(BODY));

        assertThat(alice).isEqualTo(root.resolve("example.test/alice"));
        assertThat(bob).isEqualTo(root.resolve("bob"));
        assertThat(paths).hasSize(2);
        assertThat(paths.get(0).getParent()).isEqualTo(alice.resolve("new"));
        assertThat(paths.get(1).getParent()).isEqualTo(bob.resolve("new"));
        assertThat(Files.readAllBytes(paths.get(0))).isEqualTo(concat(pa, BODY));
        assertThat(Files.readAllBytes(paths.get(1))).isEqualTo(concat(pb, BODY));
        assertThat(paths.get(0).getFileName().toString())
                .matches("[0-9]+\\.M[0-9]+P" + ProcessHandle.current().pid() + "Q[0-9]+\\.mx\\.example\\.test,S=" + (pa.length + BODY.length));
        assertThat(list(alice.resolve("tmp"))).isEmpty();
        assertThat(list(bob.resolve("tmp"))).isEmpty();
        assertThat(alice.resolve("cur")).isDirectory();
    }

    @Test
    void aBodyFromAFileIsCopiedToEachTarget() throws IOException {
        MaildirStore store = MaildirStore.at(root);
        Path spool = Files.write(root.resolve("spool"), BODY);
        Path box = root.resolve("d/u");
        List<Path> paths = store.deliver(List.of(new MaildirTarget(box, new byte[0])), MessageBody.of(spool));
        assertThat(Files.readAllBytes(paths.get(0))).isEqualTo(BODY);
        assertThat(paths.get(0).getFileName().toString()).endsWith(",S=" + BODY.length);
    }

    @Test
    void aFailingSecondTargetLeavesNothingInEitherMailbox() throws IOException {
        MaildirStore store = MaildirStore.at(root);
        Path good = root.resolve("example.test/alice");
        Path bad = root.resolve("example.test/bob");
        Files.createDirectories(good.getParent());
        Files.writeString(bad, "a regular file where a mailbox should be");

        assertThatThrownBy(() -> store.deliver(List.of(new MaildirTarget(good, new byte[0]), new MaildirTarget(bad, new byte[0])),
                MessageBody.of(BODY))).isInstanceOf(IOException.class).isNotInstanceOf(MailboxFullException.class);

        assertThat(list(good.resolve("new"))).isEmpty();
        assertThat(list(good.resolve("tmp"))).isEmpty();
        assertThat(bad).isRegularFile();
    }

    @Test
    void aFailingBodyLeavesNothingInTmp() throws IOException {
        MaildirStore store = MaildirStore.at(root);
        Path box = root.resolve("x/y");
        MessageBody broken = new MessageBody() {
            @Override
            public long size() {
                return 10;
            }

            @Override
            public void writeTo(java.io.OutputStream out) throws IOException {
                out.write(1);
                throw new IOException("spool vanished");
            }
        };
        assertThatThrownBy(() -> store.deliver(List.of(new MaildirTarget(box, new byte[0])), broken)).hasMessage("spool vanished");
        assertThat(list(box.resolve("tmp"))).isEmpty();
        assertThat(list(box.resolve("new"))).isEmpty();
    }

    /** The second copy's body breaks its own new/ while being written, so its rename fails. */
    @Test
    void aFailedRenameTakesBackTheCopiesAlreadyInNew() throws IOException {
        MaildirStore store = MaildirStore.at(root);
        Path first = root.resolve("d/first");
        Path second = root.resolve("d/second");
        int[] calls = {0};
        MessageBody sabotage = new MessageBody() {
            @Override
            public long size() {
                return BODY.length;
            }

            @Override
            public void writeTo(java.io.OutputStream out) throws IOException {
                if (++calls[0] == 2) {
                    Files.delete(second.resolve("new"));
                    Files.writeString(second.resolve("new"), "not a directory");
                }
                out.write(BODY);
            }
        };

        assertThatThrownBy(() -> store.deliver(List.of(new MaildirTarget(first, new byte[0]), new MaildirTarget(second, new byte[0])), sabotage))
                .isInstanceOf(IOException.class);

        assertThat(calls[0]).isEqualTo(2);
        assertThat(list(first.resolve("new"))).isEmpty();
        assertThat(list(first.resolve("tmp"))).isEmpty();
        assertThat(list(second.resolve("tmp"))).isEmpty();
    }

    @Test
    void noTargetsIsAnArgumentError() {
        assertThatThrownBy(() -> MaildirStore.at(root).deliver(List.of(), MessageBody.of(BODY)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("targets");
    }

    static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
