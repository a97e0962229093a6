package dev.berth.mesh;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RingTest {

    private final Arena arena = Arena.ofConfined();
    private final MemorySegment slot = arena.allocate(SlotDescriptor.stride(4096), 64);
    private final Slot view = new Slot(0, slot, 4096);
    private final Ring ring = view.requests();

    @AfterEach
    void close() {
        arena.close();
    }

    private List<MeshRecord> drain() {
        List<MeshRecord> records = new ArrayList<>();
        ring.read((type, data, index, length) -> records.add(RecordCodec.read(type, data, index, length)), 1000);
        return records;
    }

    @Test
    void recordsComeOutInTheOrderTheyWentIn() {
        assertThat(RecordCodec.write(ring, new MeshRecord.Cancel(1))).isTrue();
        assertThat(RecordCodec.write(ring, new MeshRecord.Answer(2, true, new byte[] {7}))).isTrue();
        List<MeshRecord> records = drain();
        assertThat(records).hasSize(2);
        assertThat(records.get(0)).isEqualTo(new MeshRecord.Cancel(1));
        assertThat(((MeshRecord.Answer) records.get(1)).payload()).containsExactly(7);
        assertThat(ring.hasRecord()).isFalse();
    }

    @Test
    void aFullRingRefusesUntilTheReaderFreesSpace() {
        byte[] payload = new byte[900];
        int written = 0;
        while (RecordCodec.write(ring, new MeshRecord.Answer(written, true, payload))) {
            written++;
        }
        assertThat(written).isEqualTo(4);
        assertThat(drain()).hasSize(4);
        assertThat(RecordCodec.write(ring, new MeshRecord.Answer(9, true, payload))).isTrue();
    }

    @Test
    void recordsWrapAroundTheEndOfTheRingWithPadding() {
        long id = 0;
        for (int round = 0; round < 500; round++) {
            int size = 1 + (round * 37) % 1000;
            assertThat(RecordCodec.write(ring, new MeshRecord.Answer(id++, true, new byte[size]))).isTrue();
            assertThat(RecordCodec.write(ring, new MeshRecord.Cancel(id++))).isTrue();
            List<MeshRecord> records = drain();
            assertThat(records).hasSize(2);
            assertThat(((MeshRecord.Answer) records.get(0)).payload()).hasSize(size);
        }
        assertThat(ring.size()).isZero();
    }

    @Test
    void aClaimedButUncommittedRecordIsNeverRead() {
        long index = ring.claim(MeshRecord.CANCEL, 8);
        assertThat(index).isNotEqualTo(Ring.FULL);
        assertThat(ring.hasRecord()).isFalse();
        assertThat(drain()).isEmpty();
        ring.commit(index, 8);
        assertThat(drain()).hasSize(1);
    }

    @Test
    void anImpossibleLengthIsReportedAsCorrupt() {
        slot.set(JAVA_INT, SlotDescriptor.CONTROL_LENGTH, 1_000_000);
        assertThatThrownBy(this::drain).isInstanceOf(CorruptRingException.class);
    }

    @Test
    void anUndecodableBodyIsReportedAsCorrupt() {
        long index = ring.claim(MeshRecord.REPLY, 4);
        ring.commit(index, 4);
        assertThatThrownBy(this::drain).isInstanceOf(CorruptRingException.class);
    }

    @Test
    void aRecordLargerThanAQuarterOfTheRingIsRefusedWithTheLimit() {
        assertThatThrownBy(() -> RecordCodec.write(ring, new MeshRecord.Answer(1, true, new byte[2000])))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("raise mesh.slot-size");
    }

    @Test
    void everyRecordSurvivesTheTripThroughTheRing() {
        List<MeshRecord> sent = List.of(
                new MeshRecord.Call(1, 99, "quotes", "k", "t", "p".getBytes()),
                new MeshRecord.Cancel(2),
                new MeshRecord.Answer(3, false, "boom".getBytes()),
                new MeshRecord.Reply(4, true, "b", "r".getBytes()),
                new MeshRecord.Serve(5, 77, "g", "kéy", "", "a", new byte[0]));
        sent.forEach(r -> assertThat(RecordCodec.write(ring, r)).isTrue());
        List<MeshRecord> got = drain();
        assertThat(got).hasSize(5);
        assertThat(got.get(0)).usingRecursiveComparison().isEqualTo(sent.get(0));
        assertThat(got.get(3)).usingRecursiveComparison().isEqualTo(sent.get(3));
        assertThat(got.get(4)).usingRecursiveComparison().isEqualTo(sent.get(4));
    }

    @Test
    void aReplyThatTimedOutAtTheProxySaysSoToTheCaller() {
        MeshRecord.Reply timedOut = new Outcome.Timeout("b").reply(6);
        MeshRecord.Reply failed = new MeshRecord.Reply(7, false, "b", "boom".getBytes());
        assertThat(RecordCodec.write(ring, timedOut)).isTrue();
        assertThat(RecordCodec.write(ring, failed)).isTrue();
        List<MeshRecord> got = drain();
        assertThat(got.get(0)).usingRecursiveComparison().isEqualTo(timedOut);
        assertThat(((MeshRecord.Reply) got.get(0)).timedOut()).isTrue();
        assertThat(((MeshRecord.Reply) got.get(1)).timedOut()).isFalse();
    }
}
