package dev.berth.maildir;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MaildirReadingTest {

    @TempDir
    Path root;

    private MaildirStore store;
    private Path box;

    private Path deliver(String text) throws IOException {
        return store.deliver(List.of(new MaildirTarget(box, "X-P: 1\r\n".getBytes(US_ASCII))), MessageBody.of(text.getBytes(US_ASCII))).get(0);
    }

    @Test
    void openMovesNewToCurAndUidsAreStableAcrossOpens() throws IOException {
        store = MaildirStore.at(root, "h");
        box = store.mailbox(new MailUser("alice", "example.test"));
        Path first = deliver("one\r\n");
        Path second = deliver("second\r\n");

        MaildirMailbox a = store.open(box);

        assertThat(MaildirDeliveryTest.list(box.resolve("new"))).isEmpty();
        assertThat(a.messages()).extracting(m -> m.file().getFileName().toString())
                .containsExactly(first.getFileName() + ":2,", second.getFileName() + ":2,");
        assertThat(a.messages()).extracting(MaildirMessage::uid)
                .containsExactly(uid(first), uid(second));
        assertThat(a.messages()).extracting(MaildirMessage::size).containsExactly(8L + 5, 8L + 8);
        assertThat(a.messages().get(0).uid()).matches("[\\x21-\\x7e]{1,70}");
        try (InputStream in = a.read(a.messages().get(1))) {
            assertThat(new String(in.readAllBytes(), US_ASCII)).isEqualTo("X-P: 1\r\nsecond\r\n");
        }

        Path third = deliver("3\r\n");
        assertThat(a.messages()).hasSize(2);
        MaildirMailbox b = store.open(box);
        assertThat(b.messages()).extracting(MaildirMessage::uid).containsExactly(uid(first), uid(second), uid(third));
        assertThat(b.messages().subList(0, 2)).isEqualTo(a.messages());
    }

    @Test
    void deleteRemovesFilesAndToleratesMissingOnes() throws IOException {
        store = MaildirStore.at(root, "h");
        box = root.resolve("bob");
        deliver("a\r\n");
        deliver("b\r\n");
        MaildirMailbox a = store.open(box);
        MaildirMessage gone = a.messages().get(0);

        a.delete(List.of(gone));
        a.delete(List.of(gone));
        store.delete(List.of(a.messages().get(1)));

        assertThat(store.open(box).messages()).isEmpty();
        assertThat(MaildirDeliveryTest.list(box.resolve("cur"))).isEmpty();
    }

    @Test
    void messagesAreInDeliveryOrderAndForeignNamesAreRead() throws IOException {
        store = MaildirStore.at(root, "h");
        box = root.resolve("carol");
        MaildirFiles.ensureMaildir(box);
        Files.writeString(box.resolve("new/1700000010.M5P1.other"), "no size field\r\n");
        Files.writeString(box.resolve("cur/1700000010.M40P1.other,S=99,W=101:2,S"), "seen, with flags");
        Files.writeString(box.resolve("cur/1600000000.P7Q1.old:2,"), "older");
        Files.writeString(box.resolve("cur/.hidden"), "not a message");
        Files.writeString(box.resolve("new/1700000010.M200000P1.other"), "later micros");

        MaildirMailbox a = store.open(box);

        assertThat(a.messages()).extracting(MaildirMessage::uid).containsExactly(
                "1600000000.P7Q1.old", "1700000010.M5P1.other", "1700000010.M40P1.other", "1700000010.M200000P1.other");
        assertThat(a.messages()).extracting(MaildirMessage::size).containsExactly(5L, 15L, 99L, 12L);
        assertThat(a.directory()).isEqualTo(box);
    }

    @Test
    void openRemovesTmpFilesOlderThan36Hours() throws IOException {
        Instant now = Instant.parse("2026-11-22T05:00:00Z");
        store = new DurableMaildirStore(root, "h", Clock.fixed(now, ZoneOffset.UTC));
        box = root.resolve("dave");
        MaildirFiles.ensureMaildir(box);
        Path stale = Files.writeString(box.resolve("tmp/1.M1P1Q1.h"), "crashed delivery");
        Files.setLastModifiedTime(stale, FileTime.from(now.minus(Duration.ofHours(37))));
        Path fresh = Files.writeString(box.resolve("tmp/2.M1P1Q1.h"), "delivery in progress");
        Files.setLastModifiedTime(fresh, FileTime.from(now.minus(Duration.ofHours(35))));

        assertThat(store.open(box).messages()).isEmpty();

        assertThat(stale).doesNotExist();
        assertThat(fresh).exists();
    }

    @Test
    void aMailboxThatDoesNotExistIsEmptyAndIsNotCreated() throws IOException {
        store = MaildirStore.at(root);
        Path missing = root.resolve("nobody.test/nobody");
        assertThat(store.open(missing).messages()).isEmpty();
        assertThat(missing).doesNotExist();
    }

    private static String uid(Path delivered) {
        String name = delivered.getFileName().toString();
        return name.substring(0, name.indexOf(','));
    }
}
