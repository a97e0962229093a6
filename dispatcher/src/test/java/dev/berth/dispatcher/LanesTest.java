package dev.berth.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Each lane's connections go only to the workers linked on that lane; a link's end re-queues on its lane. */
class LanesTest {

    private final Lanes lanes = new Lanes(List.of("mail", "mail@acme", "mail@globex"));
    private int nextFd = 10;

    private void accept(String lane, int n) {
        for (int i = 0; i < n; i++) {
            lanes.accepted(new Connection(nextFd++, "mx", lane));
        }
    }

    private List<Batch> drain() {
        List<Batch> batches = new ArrayList<>();
        for (Optional<Batch> b = lanes.next(1_000); b.isPresent(); b = lanes.next(1_000)) {
            batches.add(b.get());
        }
        return batches;
    }

    @Test
    void aLanesConnectionsGoOnlyToItsOwnWorkers() {
        lanes.linked(1, new DispatchBookTest.FakeWorker(), "mail@acme");
        lanes.credit(1, 64);
        lanes.linked(2, new DispatchBookTest.FakeWorker(), "mail@globex");
        lanes.credit(2, 64);
        accept("mail@acme", 3);
        accept("mail@globex", 2);
        accept("mail", 4);

        List<Batch> batches = drain();

        assertThat(batches).allSatisfy(b -> assertThat(b.connections()).allSatisfy(c ->
                assertThat(c.lane()).isEqualTo(b.link() == 1 ? "mail@acme" : "mail@globex")));
        assertThat(batches.stream().mapToInt(b -> b.connections().size()).sum()).isEqualTo(5);
        assertThat(lanes.queued()).as("the pool's own lane has no worker yet").isEqualTo(4);
        assertThat(lanes.inFlight()).isEqualTo(5);
        assertThat(lanes.links()).isEqualTo(2);
    }

    @Test
    void whatAWorkerDidNotAckGoesBackToItsLane() {
        lanes.linked(1, new DispatchBookTest.FakeWorker(), "mail@acme");
        lanes.credit(1, 64);
        accept("mail@acme", 2);
        assertThat(drain()).hasSize(1);

        assertThat(lanes.unlinked(1)).isEqualTo(2);
        lanes.linked(3, new DispatchBookTest.FakeWorker(), "mail@globex");
        lanes.credit(3, 64);
        assertThat(drain()).as("globex's worker gets none of acme's").isEmpty();
        lanes.linked(4, new DispatchBookTest.FakeWorker(), "mail@acme");
        lanes.credit(4, 64);
        assertThat(drain()).singleElement().satisfies(b -> assertThat(b.link()).isEqualTo(4));
        assertThat(lanes.idle()).isFalse();
    }

    @Test
    void aConnectionForAnUnknownLaneIsRefused() {
        assertThatThrownBy(() -> accept("web@acme", 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
