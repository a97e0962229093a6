package dev.berth.worker;

import dev.berth.scoreboard.Scoreboard;
import dev.berth.scoreboard.WorkerSlot;
import dev.berth.scoreboard.WorkerState;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * This worker's load against its siblings', read from their scoreboard slots. A shared socket's
 * queue is drained by whichever acceptor is running: after a burst of connects (wrk opening 64
 * keep-alive connections) the worker that woke first takes most of them, and keeps them for their
 * whole life. An acceptor that asks {@link #busierThanPeers} before each accept and yields briefly
 * when it is lets an idle sibling take the next ones (Puma's wait_for_less_busy_worker, with the
 * siblings' real counts instead of a guess).
 *
 * <p>Used by one acceptor thread ({@link #copy} for another); the sibling list is refreshed at most
 * every {@value #REFRESH_MS} ms by scanning the slots of the same group. A sibling whose heartbeat
 * is older than {@value #FRESH_MS} ms is ignored, so a stopped worker attracts nothing.
 */
final class PeerLoad {

    static final long REFRESH_MS = 100;
    static final long FRESH_MS = 500;
    /** How many times an acceptor that is busier than its peers waits {@link #YIELD_NANOS} at most. */
    static final int MAX_YIELDS = 20;
    static final long YIELD_NANOS = 100_000;

    private final Scoreboard scoreboard;
    private final WorkerSlot mine;
    private final LongSupplier clock;
    private List<WorkerSlot> peers = List.of();
    private long refreshedAt = Long.MIN_VALUE / 2;

    /**
     * @param clock monotonic milliseconds, the clock of the siblings' heartbeats
     */
    PeerLoad(Scoreboard scoreboard, WorkerSlot mine, LongSupplier clock) {
        this.scoreboard = scoreboard;
        this.mine = mine;
        this.clock = clock;
    }

    /** Another instance over the same slots, for another thread. */
    PeerLoad copy() {
        return new PeerLoad(scoreboard, mine, clock);
    }

    /**
     * Whether this worker has clearly more open connections than its least busy ready sibling:
     * more than four above it plus a quarter of the sibling's count, so that the ordinary churn of
     * connection-per-request traffic (tens open, give or take a few) never holds an acceptor back,
     * while a burst onto one worker does.
     */
    boolean busierThanPeers() {
        long now = clock.getAsLong();
        if (now - refreshedAt > REFRESH_MS) {
            peers = scan();
            refreshedAt = now;
        }
        long active = mine.active();
        long least = Long.MAX_VALUE;
        for (WorkerSlot peer : peers) {
            if (peer.state() == WorkerState.READY && now - peer.oldestBeat() <= FRESH_MS) {
                least = Math.min(least, peer.active());
            }
        }
        return least != Long.MAX_VALUE && active > least + 4 + least / 4;
    }

    /** Whether some sibling is ready and fresh: it could take this worker's share of new connections. */
    boolean anyReadyPeer() {
        long now = clock.getAsLong();
        if (now - refreshedAt > REFRESH_MS) {
            peers = scan();
            refreshedAt = now;
        }
        for (WorkerSlot peer : peers) {
            if (peer.state() == WorkerState.READY && now - peer.oldestBeat() <= FRESH_MS) {
                return true;
            }
        }
        return false;
    }

    private List<WorkerSlot> scan() {
        List<WorkerSlot> found = new ArrayList<>();
        long group = mine.group();
        for (int i = 0; i < scoreboard.capacity(); i++) {
            if (i != mine.index()) {
                WorkerSlot slot = scoreboard.slot(i);
                if (slot.token() != 0 && slot.group() == group) {
                    found.add(slot);
                }
            }
        }
        return found;
    }
}
