package dev.berth.mesh;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** When the proxy's loop stays awake for a request after it wrote into a reply ring, on a clock moved by hand. */
class ReplyWriterTest {

    @TempDir
    Path dir;

    private long now = 1_000_000_000L;

    private static MeshRecord.Reply reply(int bytes) {
        return new MeshRecord.Reply(1, true, "b", new byte[bytes]);
    }

    @Test
    void aWrittenReplyKeepsTheLoopAwakeUntilARequestIsRead() {
        try (SlotFile file = SlotFile.create(dir.resolve("slots"), 1, 8192)) {
            Slot slot = file.slot(0);
            slot.claim(1, 0, 0);
            ReplyWriter writer = new ReplyWriter(file, task -> { }, () -> now);
            assertThat(writer.expecting()).isFalse();

            assertThat(writer.deliver(0, slot.generation(), reply(8))).isTrue();
            now += ReplyWriter.AWAKE_NANOS / 2;
            assertThat(writer.expecting()).isTrue();

            writer.answered();
            assertThat(writer.expecting()).isFalse();
        }
    }

    @Test
    void theLoopSleepsOnceTheWindowHasPassedWithoutARequest() {
        try (SlotFile file = SlotFile.create(dir.resolve("slots"), 1, 8192)) {
            Slot slot = file.slot(0);
            slot.claim(1, 0, 0);
            ReplyWriter writer = new ReplyWriter(file, task -> { }, () -> now);

            writer.deliver(0, slot.generation(), reply(8));
            now += ReplyWriter.AWAKE_NANOS;

            assertThat(writer.expecting()).isFalse();
        }
    }

    @Test
    void onlyARecordThatReachedItsRingKeepsTheLoopAwake() {
        try (SlotFile file = SlotFile.create(dir.resolve("slots"), 1, 8192)) {
            Slot slot = file.slot(0);
            slot.claim(1, 0, 0);
            ReplyWriter writer = new ReplyWriter(file, task -> { }, () -> now);
            assertThat(writer.deliver(0, slot.generation() + 1, reply(8))).isFalse();
            assertThat(writer.expecting()).isFalse();

            while (!writer.backlogged()) {
                writer.deliver(0, slot.generation(), reply(512));
            }
            now += ReplyWriter.AWAKE_NANOS;
            writer.deliver(0, slot.generation(), reply(512));
            assertThat(writer.expecting()).as("queued for room").isFalse();

            slot.replies().read((type, data, index, length) -> { }, Integer.MAX_VALUE);
            writer.flush();
            assertThat(writer.backlogged()).isFalse();
            assertThat(writer.expecting()).as("flushed into the ring").isTrue();
        }
    }
}
