package dev.berth.scoreboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScoreboardTest {

    @TempDir
    Path dir;

    @Test
    void workerWritesWhatTheMasterReadsThroughTheFile() {
        Path file = dir.resolve("scoreboard");
        try (Scoreboard master = Scoreboard.create(file, 4); Scoreboard worker = Scoreboard.open(file)) {
            master.slot(2).assign(77, 7);
            WorkerSlot mine = worker.slot(2);
            assertThat(mine.token()).isEqualTo(77);
            mine.attach(1234, 3);
            mine.state(WorkerState.READY);
            mine.connectionAccepted();
            mine.connectionAccepted();
            mine.connectionClosed();
            mine.requestServed();
            WorkerSlot seen = master.slot(2);
            assertThat(seen.pid()).isEqualTo(1234);
            assertThat(seen.state()).isEqualTo(WorkerState.READY);
            assertThat(seen.accepted()).isEqualTo(2);
            assertThat(seen.active()).isEqualTo(1);
            assertThat(seen.served()).isEqualTo(1);
        }
    }

    @Test
    void dispatcherFiguresReachTheMasterAndAreClearedForTheNextChild() {
        Path file = dir.resolve("scoreboard");
        try (Scoreboard master = Scoreboard.create(file, 1); Scoreboard dispatcher = Scoreboard.open(file)) {
            master.slot(0).assign(5, 7);
            dispatcher.slot(0).handoff(3, 2, 4);
            assertThat(master.slot(0)).extracting(WorkerSlot::queued, WorkerSlot::inFlight, WorkerSlot::links)
                    .containsExactly(3L, 2L, 4L);
            master.slot(0).assign(6, 7);
            assertThat(master.slot(0)).extracting(WorkerSlot::queued, WorkerSlot::inFlight, WorkerSlot::links)
                    .containsExactly(0L, 0L, 0L);
        }
    }

    @Test
    void oldestBeatWaitsForEveryEntryAndThenTakesTheMinimum() {
        try (Scoreboard board = Scoreboard.create(dir.resolve("sb"), 1)) {
            WorkerSlot slot = board.slot(0);
            assertThat(slot.oldestBeat()).isEqualTo(Long.MAX_VALUE);
            slot.assign(1, 7);
            slot.attach(1, 2);
            slot.beat(0, 500);
            assertThat(slot.oldestBeat()).isEqualTo(Long.MAX_VALUE);
            slot.beat(1, 300);
            assertThat(slot.oldestBeat()).isEqualTo(300);
        }
    }

    @Test
    void assignClearsWhatThePreviousWorkerLeft() {
        try (Scoreboard board = Scoreboard.create(dir.resolve("sb"), 1)) {
            WorkerSlot slot = board.slot(0);
            slot.assign(1, 7);
            slot.attach(10, 1);
            slot.connectionAccepted();
            slot.assign(2, 7);
            assertThat(slot.pid()).isZero();
            assertThat(slot.accepted()).isZero();
            assertThat(slot.state()).isEqualTo(WorkerState.FREE);
        }
    }

    @Test
    void aFileOfAnotherKindIsRefused() throws Exception {
        Path file = dir.resolve("junk");
        Files.write(file, new byte[4096]);
        assertThatThrownBy(() -> Scoreboard.open(file)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not a version 3 scoreboard");
    }

    @Test
    void theFileStartsWithItsNameAndVersion() throws Exception {
        Path file = dir.resolve("named");
        Scoreboard.create(file, 1).close();
        byte[] head = Files.readAllBytes(file);
        assertThat(new String(head, 0, 8, StandardCharsets.US_ASCII)).isEqualTo("BERTHSB1");
        assertThat(head[8]).isEqualTo((byte) ScoreboardDescriptor.VERSION);
    }

    @Test
    void aChildCannotClaimASlotWithAnotherToken() {
        try (Scoreboard board = Scoreboard.create(dir.resolve("sb"), 2)) {
            board.slot(1).assign(9, 7);
            assertThat(board.claim(1, 9).index()).isEqualTo(1);
            assertThatThrownBy(() -> board.claim(1, 8)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("belongs to another process");
        }
    }
}
