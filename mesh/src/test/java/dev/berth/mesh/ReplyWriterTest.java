package dev.berth.mesh;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** When the proxy's loop stays awake for a request after it wrote into a reply ring, on a clock moved by hand. */
class ReplyWriterTest {

    @TempDir
    Path dir;

    private long now = 1_000_000_000L;
    private SlotFile file;
    private Slot slot;
    private ReplyWriter writer;

    @BeforeEach
    void claimASlot() {
        file = SlotFile.create(dir.resolve("slots"), 1, 8192);
        slot = file.slot(0);
        slot.claim(1, 0, 0);
        writer = new ReplyWriter(file, task -> { }, () -> now);
    }

    @AfterEach
    void closeTheFile() {
        file.close();
    }

    private boolean deliver(int bytes) {
        return writer.deliver(0, slot.generation(), new MeshRecord.Reply(1, true, "b", new byte[bytes]));
    }

    @Test
    void aWrittenReplyKeepsTheLoopAwakeUntilARequestIsRead() {
        assertThat(writer.expecting()).isFalse();

        assertThat(deliver(8)).isTrue();
        now += ReplyWriter.AWAKE_NANOS / 2;
        assertThat(writer.expecting()).isTrue();

        writer.answered();
        assertThat(writer.expecting()).isFalse();
    }

    @Test
    void theLoopSleepsOnceTheWindowHasPassedWithoutARequest() {
        deliver(8);
        now += ReplyWriter.AWAKE_NANOS;

        assertThat(writer.expecting()).isFalse();
    }

    @Test
    void onlyARecordThatReachedItsRingKeepsTheLoopAwake() {
        assertThat(writer.deliver(0, slot.generation() + 1, new MeshRecord.Reply(1, true, "b", new byte[8]))).isFalse();
        assertThat(writer.expecting()).as("another generation's").isFalse();

        while (!writer.backlogged()) {
            deliver(512);
        }
        now += ReplyWriter.AWAKE_NANOS;
        deliver(512);
        assertThat(writer.expecting()).as("queued for room").isFalse();

        slot.replies().read((type, data, index, length) -> { }, Integer.MAX_VALUE);
        writer.flush();
        assertThat(writer.backlogged()).isFalse();
        assertThat(writer.expecting()).as("flushed into the ring").isTrue();
    }

    /** {@code mesh.awake}: the window is what the config says, and 0 means the loop never polls. */
    @Test
    void theWindowIsTheConfiguredOneAndZeroNeverKeepsTheLoopAwake() {
        ReplyWriter longer = new ReplyWriter(file, task -> { }, () -> now, 4 * ReplyWriter.AWAKE_NANOS);
        longer.deliver(0, slot.generation(), new MeshRecord.Reply(1, true, "b", new byte[8]));
        now += 4 * ReplyWriter.AWAKE_NANOS - 1;
        assertThat(longer.expecting()).isTrue();
        now += 1;
        assertThat(longer.expecting()).isFalse();

        ReplyWriter never = new ReplyWriter(file, task -> { }, () -> now, 0);
        never.deliver(0, slot.generation(), new MeshRecord.Reply(2, true, "b", new byte[8]));
        assertThat(never.expecting()).isFalse();
    }
}
