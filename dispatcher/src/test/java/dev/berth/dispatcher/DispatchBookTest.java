package dev.berth.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DispatchBookTest {

    /** A worker whose load, heartbeat and process state the test sets by hand. */
    static final class FakeWorker implements WorkerGauge {
        long active;
        long beat = Long.MAX_VALUE;
        boolean stopped;
        int probes;
        long counted;

        @Override
        public long active() {
            return active;
        }

        @Override
        public long countedBatch() {
            return counted;
        }

        @Override
        public long oldestBeat() {
            return beat;
        }

        @Override
        public boolean stopped() {
            probes++;
            return stopped;
        }
    }

    private final DispatchBook book = new DispatchBook();
    private long now = 1_000;
    private int nextFd = 100;

    private final Map<Integer, FakeWorker> workers = new HashMap<>();

    private FakeWorker link(int id, int credit) {
        FakeWorker worker = new FakeWorker();
        workers.put(id, worker);
        book.linked(id, worker);
        book.credit(id, credit);
        return worker;
    }

    private List<Connection> accept(int n) {
        List<Connection> accepted = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            Connection c = new Connection(nextFd++, "echo", "echo");
            book.accepted(c);
            accepted.add(c);
        }
        return accepted;
    }

    /** Sends and acks every batch the book will give; returns connections per link. */
    private Map<Integer, Integer> dispatchAndAck() {
        Map<Integer, Integer> perLink = new HashMap<>();
        for (Optional<Batch> b = book.next(now); b.isPresent(); b = book.next(now)) {
            perLink.merge(b.get().link(), b.get().connections().size(), Integer::sum);
            assertThat(book.acked(b.get().link(), b.get().number())).isEqualTo(b.get().connections());
            book.credit(b.get().link(), b.get().connections().size());
        }
        return perLink;
    }

    @Test
    void theLeastBusyEligibleWorkerGetsTheConnection() {
        link(1, 8).active = 5;
        link(2, 8).active = 1;
        link(3, 8).active = 3;
        accept(1);
        assertThat(book.next(now)).hasValueSatisfying(b -> assertThat(b.link()).isEqualTo(2));
    }

    @Test
    void oneMoreThanTheLeastBusyCountsAsEquallyBusyAndTheWorkerSentFewerGetsIt() {
        link(1, 8);
        link(2, 8);
        accept(1);
        Batch first = book.next(now).orElseThrow();
        book.acked(first.link(), first.number());
        int other = first.link() == 1 ? 2 : 1;
        workers.get(other).active = 1;
        accept(1);
        assertThat(book.next(now).orElseThrow().link()).as("busier by one, sent fewer").isEqualTo(other);
        workers.get(other).active = 3;
        accept(1);
        assertThat(book.next(now).orElseThrow().link()).as("busier by two").isEqualTo(first.link());
    }

    @Test
    void aWorkerThatWasBusyCatchesUpOnTheTiesThatFollow() {
        link(1, 8);
        link(2, 8).active = 5;
        for (int i = 0; i < 10; i++) {
            accept(1);
            dispatchAndAck();
        }
        workers.get(2).active = 0;
        Map<Integer, Integer> perLink = new HashMap<>();
        for (int i = 0; i < 10; i++) {
            accept(1);
            dispatchAndAck().forEach((link, n) -> perLink.merge(link, n, Integer::sum));
        }
        assertThat(perLink).containsOnly(Map.entry(2, 10));
    }

    @Test
    void aNewlyLinkedWorkerStartsLevelWithTheOthersAndIsNotFlooded() {
        link(1, 8);
        link(2, 8);
        for (int i = 0; i < 100; i++) {
            accept(1);
            dispatchAndAck();
        }
        book.unlinked(2);
        link(3, 8);
        Map<Integer, Integer> perLink = new HashMap<>();
        for (int i = 0; i < 20; i++) {
            accept(1);
            dispatchAndAck().forEach((link, n) -> perLink.merge(link, n, Integer::sum));
        }
        assertThat(perLink).containsOnly(Map.entry(1, 10), Map.entry(3, 10));
    }

    @Test
    void equallyBusyWorkersTakeTurns() {
        link(1, 8);
        link(2, 8);
        link(3, 8);
        Map<Integer, Integer> perLink = new HashMap<>();
        for (int i = 0; i < 300; i++) {
            accept(1);
            dispatchAndAck().forEach((link, n) -> perLink.merge(link, n, Integer::sum));
        }
        assertThat(perLink).containsOnly(Map.entry(1, 100), Map.entry(2, 100), Map.entry(3, 100));
    }

    @Test
    void aBurstIsSpreadOverTheEligibleWorkersInBatches() {
        link(1, 8);
        link(2, 8);
        link(3, 8);
        accept(6);
        List<Batch> batches = List.of(book.next(now).orElseThrow(), book.next(now).orElseThrow(),
                book.next(now).orElseThrow());
        assertThat(batches).extracting(b -> b.connections().size()).containsExactly(2, 2, 2);
        assertThat(batches).extracting(Batch::link).containsExactlyInAnyOrder(1, 2, 3);
        assertThat(book.next(now)).isEmpty();
        assertThat(book.inFlight()).isEqualTo(6);
        assertThat(book.queued()).isZero();
    }

    /**
     * A worker counts a batch as active before it acks it; until the dispatcher reads that ack, the
     * batch must not also count as in flight. Counted twice, worker 1 looked 20 busy against 10 and
     * worker 2 took the whole next burst (a clean-clone CI run's 38/22).
     */
    @Test
    void aBatchTheWorkerCountedBeforeItsAckIsReadIsNotCountedTwice() {
        link(1, 64);
        link(2, 64);
        accept(20);
        Batch first = book.next(now).orElseThrow();
        Batch second = book.next(now).orElseThrow();
        assertThat(first.connections()).hasSize(10);
        assertThat(second.connections()).hasSize(10);
        FakeWorker early = workers.get(first.link());
        early.active = 10;
        early.counted = first.number();

        accept(20);
        Map<Integer, Integer> perLink = new HashMap<>();
        for (Optional<Batch> b = book.next(now); b.isPresent(); b = book.next(now)) {
            perLink.merge(b.get().link(), b.get().connections().size(), Integer::sum);
        }
        assertThat(perLink).containsEntry(1, 10).containsEntry(2, 10);
    }

    @Test
    void aWorkerIsSentNoMoreThanItsCredit() {
        link(1, 3);
        accept(10);
        assertThat(book.next(now)).hasValueSatisfying(b -> assertThat(b.connections()).hasSize(3));
        assertThat(book.next(now)).isEmpty();
        book.credit(1, 2);
        assertThat(book.next(now)).hasValueSatisfying(b -> assertThat(b.connections()).hasSize(2));
        assertThat(book.queued()).isEqualTo(5);
    }

    @Test
    void noBatchIsLargerThanTheLimit() {
        link(1, 1_000);
        accept(100);
        assertThat(book.next(now)).hasValueSatisfying(b -> assertThat(b.connections()).hasSize(DispatchBook.MAX_BATCH));
    }

    @Test
    void anAckHandsTheConnectionsToTheWorker() {
        link(1, 8);
        List<Connection> accepted = accept(2);
        Batch batch = book.next(now).orElseThrow();
        assertThat(book.inFlight()).isEqualTo(2);
        assertThat(book.acked(1, batch.number())).containsExactlyElementsOf(accepted);
        assertThat(book.inFlight()).isZero();
        assertThat(book.idle()).isTrue();
        assertThat(book.acked(1, batch.number())).as("a second ack").isEmpty();
        assertThat(book.acked(9, batch.number())).as("an unknown link").isEmpty();
    }

    @Test
    void oneAckHandsOverItsBatchAndEveryEarlierOneOfTheLinkButNoLaterOne() {
        link(1, 1);
        List<Connection> first = accept(1);
        Batch one = book.next(now).orElseThrow();
        book.credit(1, 1);
        List<Connection> second = accept(1);
        Batch two = book.next(now).orElseThrow();
        book.credit(1, 1);
        accept(1);
        book.next(now).orElseThrow();

        assertThat(two.number()).isGreaterThan(one.number());
        assertThat(book.acked(1, two.number())).containsExactly(first.getFirst(), second.getFirst());
        assertThat(book.inFlight()).as("the third batch is not acked").isEqualTo(1);
        assertThat(book.acked(1, one.number())).as("acked already").isEmpty();
        assertThat(book.unlinked(1)).isEqualTo(1);
    }

    @Test
    void aLostLinkPutsItsUnackedConnectionsBackAtTheHeadInOrder() {
        link(1, 8);
        List<Connection> first = accept(3);
        Batch lost = book.next(now).orElseThrow();
        assertThat(lost.connections()).isEqualTo(first);
        List<Connection> later = accept(2);
        assertThat(book.unlinked(1)).isEqualTo(3);
        assertThat(book.unlinked(1)).as("idempotent").isZero();
        link(2, 8);
        Batch next = book.next(now).orElseThrow();
        assertThat(next.link()).isEqualTo(2);
        assertThat(next.connections()).startsWith(first.toArray(Connection[]::new));
        assertThat(next.connections()).endsWith(later.toArray(Connection[]::new));
    }

    @Test
    void anAckedConnectionIsNotPutBackWhenTheLinkEnds() {
        link(1, 8);
        accept(2);
        Batch acked = book.next(now).orElseThrow();
        book.acked(1, acked.number());
        accept(1);
        book.next(now).orElseThrow();
        assertThat(book.unlinked(1)).isEqualTo(1);
        assertThat(book.queued()).isEqualTo(1);
    }

    @Test
    void aLinkWhoseSendFailedGetsNothingMoreButItsLateAcksStillCount() {
        link(1, 8);
        link(2, 8).active = 10;
        accept(2);
        Batch acked = book.next(now).orElseThrow();
        accept(1);
        Batch failed = book.next(now).orElseThrow();
        assertThat(failed.link()).isEqualTo(1);
        book.closing(1);
        accept(1);
        assertThat(book.next(now).orElseThrow().link()).isEqualTo(2);
        assertThat(book.acked(1, acked.number())).hasSize(2);
        assertThat(book.unlinked(1)).isEqualTo(1);
    }

    @Test
    void aStoppedWorkerWhoseHeartbeatIsLateGetsNothingNew() {
        FakeWorker stopped = link(1, 8);
        FakeWorker alive = link(2, 8);
        stopped.beat = now - DispatchBook.STALL_MS - 1;
        stopped.stopped = true;
        alive.beat = now - 10;
        alive.active = 50;
        accept(4);
        assertThat(dispatchAndAck()).containsOnlyKeys(2);
    }

    /**
     * A slow worker (its loop behind, its process running) stays in the choice up to the live bound:
     * dropping it at the first 300 ms of lateness sent a whole burst to its sibling on a loaded
     * machine. Beyond the bound it gets nothing new, stopped or not.
     */
    @Test
    void aRunningWorkerWhoseHeartbeatIsLateStaysInTheChoiceUpToTheLiveBound() {
        FakeWorker slow = link(1, 8);
        FakeWorker other = link(2, 8);
        slow.beat = now - DispatchBook.STALL_MS - 1;
        other.beat = now - 10;
        accept(4);
        assertThat(dispatchAndAck()).containsEntry(1, 2).containsEntry(2, 2);
        assertThat(slow.probes).isPositive();

        slow.beat = now - DispatchBook.LIVE_STALL_MS - 1;
        accept(4);
        assertThat(dispatchAndAck()).containsOnlyKeys(2);
    }

    @Test
    void aStoppedWorkerThatDoesNotAckGetsNothingNewOnceTheAckIsLate() {
        link(1, 8).stopped = true;
        link(2, 8).active = 3;
        accept(1);
        assertThat(book.next(now).orElseThrow().link()).isEqualTo(1);
        now += DispatchBook.STALL_MS + 1;
        accept(1);
        // worker 1 is still the less busy one (1 in flight against 3 active), but its ack is late
        assertThat(book.next(now).orElseThrow().link()).isEqualTo(2);
    }

    @Test
    void aRunningWorkerWhoseAckIsLateIsJudgedByWhatItHasInFlight() {
        link(1, 8);
        link(2, 8).active = 3;
        accept(1);
        assertThat(book.next(now).orElseThrow().link()).isEqualTo(1);
        now += DispatchBook.STALL_MS + 1;
        accept(1);
        // 1 in flight against 3 active: the slow worker is still the less busy one
        assertThat(book.next(now).orElseThrow().link()).isEqualTo(1);
        now += DispatchBook.LIVE_STALL_MS;
        accept(1);
        assertThat(book.next(now).orElseThrow().link()).isEqualTo(2);
    }

    @Test
    void aStoppedWorkerWhoseAckIsLateIsNamedOnceForEnding() {
        link(1, 8).stopped = true;
        link(2, 8);
        accept(2);
        Batch first = book.next(now).orElseThrow();
        Batch second = book.next(now).orElseThrow();
        book.acked(second.link(), second.number());
        assertThat(book.overdue(now + DispatchBook.STALL_MS)).isEmpty();
        assertThat(workers.get(1).probes).as("not asked while the ack is not late").isZero();
        assertThat(book.overdue(now + DispatchBook.STALL_MS + 1)).containsExactly(first.link());
        book.closing(first.link());
        assertThat(book.overdue(now + DispatchBook.LIVE_STALL_MS + 1)).isEmpty();
        assertThat(book.unlinked(first.link())).isEqualTo(1);
        assertThat(book.queued()).isEqualTo(1);
    }

    /**
     * A worker that runs but acks late (a CPU quota's throttling, a loaded machine) keeps its link
     * for {@value DispatchBook#LIVE_STALL_MS} ms: ending it would move its connections and leave it
     * out of a burst while it links again. Its process is asked at most every {@value
     * DispatchBook#PROBE_MS} ms; once it is stopped, it is named at the next asking.
     */
    @Test
    void aRunningWorkerWhoseAckIsLateKeepsItsLinkUntilTheLiveBound() {
        FakeWorker slow = link(1, 8);
        accept(1);
        Batch batch = book.next(now).orElseThrow();
        long sent = now;
        for (long t = sent + DispatchBook.STALL_MS + 1; t <= sent + DispatchBook.LIVE_STALL_MS; t += 10) {
            assertThat(book.overdue(t)).as("at %d ms", t - sent).isEmpty();
        }
        long window = DispatchBook.LIVE_STALL_MS - DispatchBook.STALL_MS;
        assertThat(slow.probes).isBetween((int) (window / DispatchBook.PROBE_MS) - 1, (int) (window / DispatchBook.PROBE_MS) + 1);
        assertThat(book.overdue(sent + DispatchBook.LIVE_STALL_MS + 1)).containsExactly(batch.link());
    }

    @Test
    void aWorkerThatStopsWhileItsAckIsLateIsNamedAtTheNextAsking() {
        FakeWorker stopping = link(1, 8);
        accept(1);
        Batch late = book.next(now).orElseThrow();
        assertThat(book.overdue(now + DispatchBook.STALL_MS + 1)).isEmpty();
        stopping.stopped = true;
        assertThat(book.overdue(now + DispatchBook.STALL_MS + 2)).as("asked again only after %d ms", DispatchBook.PROBE_MS)
                .isEmpty();
        assertThat(book.overdue(now + DispatchBook.STALL_MS + 1 + DispatchBook.PROBE_MS)).containsExactly(late.link());
        assertThat(stopping.probes).isEqualTo(2);
    }

    @Test
    void withNoEligibleWorkerTheConnectionsWaitInTheQueue() {
        accept(2);
        assertThat(book.next(now)).isEmpty();
        link(1, 0);
        assertThat(book.next(now)).isEmpty();
        assertThat(book.queued()).isEqualTo(2);
        book.credit(1, 1);
        assertThat(book.next(now)).isPresent();
    }

    @Test
    void clearingReturnsEveryConnectionStillHeld() {
        link(1, 1);
        List<Connection> accepted = accept(3);
        book.next(now).orElseThrow();
        assertThat(book.clear()).containsExactlyInAnyOrderElementsOf(accepted);
        assertThat(book.idle()).isTrue();
        assertThat(book.links()).isZero();
    }
}
