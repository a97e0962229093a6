package dev.berth.scoreboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CountersTest {

    @TempDir
    Path dir;

    @Test
    void childCountsWhatTheMasterReadsBackByFamilyAndLabels() {
        Path file = dir.resolve("scoreboard");
        try (Scoreboard master = Scoreboard.create(file, 2); Scoreboard child = Scoreboard.open(file)) {
            master.slot(1).assign(9, 7);
            Counters counters = child.slot(1).counters();
            Counters.Counter ok = counters.counter(CounterFamily.SMTP_REPLIES, "mx", "250");
            ok.increment();
            ok.add(2);
            counters.counter(CounterFamily.SMTP_REPLIES, "mx", "554").increment();
            counters.counter(CounterFamily.SMTP_REPLIES, "mx", "250").increment();

            List<Counters.Sample> seen = master.slot(1).counterSamples();
            assertThat(seen).extracting(Counters.Sample::family, Counters.Sample::labels, s -> s.values()[0])
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple(CounterFamily.SMTP_REPLIES, List.of("mx", "250"), 4L),
                            org.assertj.core.groups.Tuple.tuple(CounterFamily.SMTP_REPLIES, List.of("mx", "554"), 1L));
        }
    }

    @Test
    void histogramCountsEachObservationInItsBucketAndAddsItToTheSum() {
        try (Scoreboard board = Scoreboard.create(dir.resolve("sb"), 1)) {
            board.slot(0).assign(1, 7);
            Counters.Histogram calls = board.slot(0).counters().histogram(CounterFamily.MESH_CALL_SECONDS, "quotes");
            calls.observe(50_000);          // 50 µs: first bucket (0.1 ms)
            calls.observe(100_000);         // exactly 0.1 ms: still the first bucket (le)
            calls.observe(2_000_000_000L);  // 2 s: +Inf
            long[] values = board.slot(0).counterSamples().getFirst().values();
            int buckets = CounterFamily.MESH_CALL_SECONDS.buckets().length;
            assertThat(values).hasSize(buckets + 2);
            assertThat(values[0]).isEqualTo(2);
            assertThat(values[buckets]).isEqualTo(1);
            assertThat(values[buckets + 1]).isEqualTo(2_000_150_000L);
        }
    }

    @Test
    void aFullAreaCountsLostIncrementsInsteadOfOverwritingRecords() {
        try (Scoreboard board = Scoreboard.create(dir.resolve("sb"), 1)) {
            board.slot(0).assign(1, 7);
            Counters counters = board.slot(0).counters();
            for (int i = 0; i < 1000; i++) {
                counters.counter(CounterFamily.REQUESTS, "service-" + i).increment();
            }
            WorkerSlot slot = board.slot(0);
            int kept = slot.counterSamples().size();
            assertThat(kept).isBetween(100, 999);
            assertThat(slot.countersOverflowed()).isEqualTo(1000 - kept);
            assertThat(slot.counterSamples()).allSatisfy(s -> assertThat(s.values()[0]).isEqualTo(1));
        }
    }

    @Test
    void anotherChildInTheSlotStartsFromZero() {
        try (Scoreboard board = Scoreboard.create(dir.resolve("sb"), 1)) {
            board.slot(0).assign(1, 7);
            board.slot(0).counters().counter(CounterFamily.REQUESTS, "web").increment();
            board.slot(0).assign(2, 7);
            assertThat(board.slot(0).counterSamples()).isEmpty();
            assertThat(board.slot(0).countersOverflowed()).isZero();
        }
    }

    @Test
    void wrongLabelCountIsRefusedByName() {
        try (Scoreboard board = Scoreboard.create(dir.resolve("sb"), 1)) {
            assertThatThrownBy(() -> board.slot(0).counters().counter(CounterFamily.SMTP_REPLIES, "mx"))
                    .hasMessageContaining("[service, code]");
        }
    }
}
