package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The accept contract for {@code accept: handoff}, and what only a dispatcher can break: killed
 * under load, it is replaced, and only the connections it held when it died may fail; started as
 * {@code master.user}, it and the workers still link through the socket the master made.
 */
class HandoffAcceptTest extends AcceptContract {

    @Override
    String accept() {
        return "handoff";
    }

    /**
     * A handoff worker says Ready before its link to the dispatcher is up (it links on its own
     * thread, and again whenever the dispatcher is away): a burst right after Ready went 20/40 in
     * a clean-clone CI run, where linked workers split it 30/30.
     */
    @Override
    void awaitTakingConnections(Berth berth) {
        berth.awaitStatus(s -> dispatcher(s).path("links").asLong() == 2, Duration.ofSeconds(30), "both workers linked");
    }

    @Test
    void killedDispatcherIsReplacedAndTheLoadGoesOn() throws Exception {
        try (Berth berth = Berth.start(dir, Configs.echo(2, pool("")));
             EchoLoad load = new EchoLoad(berth.port("echo"), CLIENTS)) {
            load.awaitSuccesses(300, 20_000);
            JsonNode before = dispatcher(berth.status());
            long victim = before.path("pid").asLong();
            assertThat(before.path("state").asText()).isEqualTo("ready");
            assertThat(before.path("links").asLong()).isEqualTo(2);
            long killedAt = System.nanoTime();
            assertThat(ProcessHandle.of(victim).orElseThrow().destroyForcibly()).isTrue();
            JsonNode status = berth.awaitStatus(s -> {
                JsonNode d = dispatcher(s);
                return d.path("pid").asLong() != victim && d.path("state").asText().equals("ready")
                        && d.path("links").asLong() == 2;
            }, Duration.ofSeconds(30), "a ready replacement dispatcher linked to both workers");
            long replacedAfter = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
            load.awaitSuccesses(300, 20_000);
            load.stop();

            System.out.printf("handoff: dispatcher replaced and relinked after %d ms, slowest connection %d ms,"
                    + " failures %s%n", replacedAfter, load.slowestMillis(), load.failures());
            assertThat(status.path("pools").get(0).path("restarts").asLong()).isEqualTo(1);
            assertThat(Berth.workers(status, "echo")).extracting(w -> w.path("state").asText())
                    .containsOnly("ready").hasSize(2);
            // what the dispatcher held when it died (accepted, not yet sent) is reset; the kernel's
            // backlog, which the master keeps, waits for the replacement
            assertThat(load.failures()).hasSizeLessThanOrEqualTo(CLIENTS)
                    .allSatisfy(f -> {
                        assertThat(f.kind()).isEqualTo(EchoLoad.Kind.RESET_OR_EOF);
                        assertThat(f.startedNanos()).isLessThan(killedAt + TimeUnit.MILLISECONDS.toNanos(200));
                    });
        }
    }

    @Test
    void dispatcherAndWorkersRunAsTheConfiguredUserAndLinkThroughTheMastersSocket() throws Exception {
        assumeTrue(Processes.isRoot(), "needs root to start children as another user");
        // nobody must be able to read the jar and reach the run directory
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path jar = dir.resolve("berth.jar");
        Files.copy(Berth.JAR, jar);
        try (Berth berth = Berth.start(dir, Configs.echo(2, pool(""), "  user: nobody"), jar);
             EchoLoad load = new EchoLoad(berth.port("echo"), CLIENTS)) {
            load.awaitSuccesses(100, 20_000);
            load.stop();
            JsonNode status = berth.status();
            JsonNode dispatcher = dispatcher(status);
            assertThat(dispatcher.path("links").asLong()).isEqualTo(2);
            assertThat(Processes.uids(dispatcher.path("pid").asLong())).startsWith("65534\t65534\t65534\t65534");
            for (long pid : berth.readyPids("echo")) {
                assertThat(Processes.uids(pid)).as("Uid line of worker " + pid).startsWith("65534\t65534\t65534\t65534");
            }
            Path socket = dir.resolve("run/dispatch-echo-1.sock");
            assertThat(Files.getOwner(socket).getName()).isEqualTo("nobody");
            assertThat(load.failures()).isEmpty();
        }
    }

    /** The pool's one dispatcher of the newest generation. */
    private static JsonNode dispatcher(JsonNode status) {
        JsonNode dispatchers = status.path("pools").get(0).path("dispatchers");
        JsonNode newest = dispatchers.get(dispatchers.size() - 1);
        return newest == null ? MissingNode.getInstance() : newest;
    }
}
