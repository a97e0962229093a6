package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * accept: shared keeps the pool even: blocking acceptors are woken oldest first, so busy and idle
 * workers take turns instead of the most recent epoll waiter taking most of the load.
 */
class BalanceTest {

    @TempDir
    Path dir;

    @Test
    void sharedAcceptSpreadsConnectionsEvenlyOverTheWorkers() throws Exception {
        try (Berth berth = Berth.start(dir, Configs.echo(3, ""));
             EchoLoad load = new EchoLoad(berth.port("echo"), 6)) {
            load.awaitSuccesses(3_000, 60_000);
            load.stop();
            List<JsonNode> workers = Berth.workers(berth.status(), "echo");
            List<Long> accepted = workers.stream().map(w -> w.path("accepted").asLong()).toList();
            long max = accepted.stream().mapToLong(Long::longValue).max().orElseThrow();
            long min = accepted.stream().mapToLong(Long::longValue).min().orElseThrow();
            System.out.println("accepted per worker: " + accepted);
            assertThat(accepted).hasSize(3);
            assertThat((double) max / min).as("max/min of " + accepted).isLessThanOrEqualTo(1.25);
            assertThat(load.failures()).isEmpty();
        }
    }
}
