package dev.berth.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.scoreboard.Scoreboard;
import dev.berth.scoreboard.WorkerSlot;
import dev.berth.scoreboard.WorkerState;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PeerLoad over a real scoreboard, on a clock moved by hand. */
class PeerLoadTest {

    private static final long GROUP = WorkerSlot.groupOf("WORKER", "web");

    @TempDir
    Path dir;

    private final AtomicLong now = new AtomicLong(1_000_000);
    private Scoreboard scoreboard;
    private WorkerSlot mine;
    private PeerLoad load;

    @BeforeEach
    void setUp() {
        scoreboard = Scoreboard.create(dir.resolve("scoreboard"), 4);
        mine = worker(0, GROUP, 0);
        load = new PeerLoad(scoreboard, mine, now::get);
    }

    @AfterEach
    void tearDown() {
        scoreboard.close();
    }

    @Test
    void aWorkerWithClearlyMoreConnectionsThanItsLeastBusySiblingIsBusier() {
        worker(1, GROUP, 8);
        worker(2, GROUP, 1);
        open(mine, 5);
        assertThat(load.busierThanPeers()).as("5 against 1: within the slack of 4").isFalse();
        open(mine, 1);
        assertThat(load.busierThanPeers()).as("6 against 1").isTrue();
    }

    @Test
    void theSlackGrowsWithTheSiblingsCount() {
        worker(1, GROUP, 40);
        open(mine, 54);
        assertThat(load.busierThanPeers()).as("54 against 40: within 4 + 40 / 4").isFalse();
        open(mine, 1);
        assertThat(load.busierThanPeers()).isTrue();
    }

    @Test
    void aSiblingWhoseHeartbeatIsStaleAttractsNothing() {
        worker(1, GROUP, 0);
        open(mine, 10);
        assertThat(load.busierThanPeers()).isTrue();

        now.addAndGet(PeerLoad.FRESH_MS + 1);
        assertThat(load.busierThanPeers()).as("a stopped sibling").isFalse();
    }

    @Test
    void aSiblingThatStartsIsSeenOnceTheListIsRefreshed() {
        open(mine, 10);
        assertThat(load.busierThanPeers()).as("alone").isFalse();
        worker(1, GROUP, 0);
        assertThat(load.busierThanPeers()).as("before the refresh").isFalse();

        now.addAndGet(PeerLoad.REFRESH_MS + 1);
        assertThat(load.busierThanPeers()).isTrue();
    }

    @Test
    void workersOfAnotherPoolOrNotReadyDoNotCount() {
        worker(1, WorkerSlot.groupOf("WORKER", "mail"), 0);
        worker(2, GROUP, 0).state(WorkerState.STARTING);
        open(mine, 10);
        assertThat(load.busierThanPeers()).isFalse();
    }

    private WorkerSlot worker(int index, long group, int active) {
        WorkerSlot slot = scoreboard.slot(index);
        slot.assign(100 + index, group);
        slot.attach(1_000 + index, 1);
        slot.beat(0, now.get());
        slot.state(WorkerState.READY);
        open(slot, active);
        return slot;
    }

    private static void open(WorkerSlot slot, int connections) {
        for (int i = 0; i < connections; i++) {
            slot.connectionAccepted();
        }
    }
}
