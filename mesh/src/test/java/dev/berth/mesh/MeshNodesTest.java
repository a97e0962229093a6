package dev.berth.mesh;

import dev.berth.config.MeshConfig;
import dev.berth.testpeers.Await;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Three proxies on loopback in one JVM, with slot clients as their workers: the three routing modes end to end. */
class MeshNodesTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration DEADLINE = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    private Nodes nodes;

    @BeforeEach
    void start() throws Exception {
        nodes = new Nodes(dir, List.of("a", "b", "c"), Nodes.groups(
                new MeshConfig.Group("quotes", MeshConfig.Mode.NORMAL, List.of("b", "c"), Map.of()),
                new MeshConfig.Group("portfolio", MeshConfig.Mode.ROUTED, List.of("b", "c"), Map.of()),
                new MeshConfig.Group("photos", MeshConfig.Mode.KEYED, List.of(), Map.of("club", "c", "*", "b")),
                new MeshConfig.Group("local", MeshConfig.Mode.NORMAL, List.of("a"), Map.of()),
                new MeshConfig.Group("slow", MeshConfig.Mode.NORMAL, List.of("b"), Map.of())));
        nodes.startAll();
        for (String node : List.of("b", "c")) {
            Mesh worker = nodes.serveEcho(node, "quotes");
            worker.serve("portfolio", request -> CompletableFuture.completedFuture(MeshEchoKind.echo(node, request)));
            worker.serve("photos", request -> CompletableFuture.completedFuture(MeshEchoKind.echo(node, request)));
        }
        nodes.serveEcho("a", "local");
        Await.require("a sees b and c", WAIT, () -> nodes.sees("a", "b") && nodes.sees("a", "c"));
    }

    @AfterEach
    void stop() {
        nodes.close();
    }

    @Test
    void normalGroupSpreadsCallsOverItsMembers() throws Exception {
        Mesh caller = nodes.attach("a");
        Map<String, Integer> byNode = new HashMap<>();
        for (int i = 0; i < 40; i++) {
            MeshReply reply = caller.call("quotes", "", "", ("q" + i).getBytes(StandardCharsets.UTF_8), DEADLINE).get();
            byNode.merge(reply.node(), 1, Integer::sum);
            assertThat(reply.text()).contains("\"payload\":\"q" + i + "\"");
        }
        assertThat(byNode.keySet()).containsExactlyInAnyOrder("b", "c");
    }

    @Test
    void routedGroupSendsAKeyToOneNodeAndMovesItWhileThatNodeIsDown() throws Exception {
        Mesh caller = nodes.attach("a");
        Map<String, String> before = new HashMap<>();
        for (int i = 0; i < 20; i++) {
            before.put("user" + i, caller.call("portfolio", "user" + i, "", new byte[0], DEADLINE).get().node());
        }
        assertThat(before.values()).contains("b", "c");
        for (int i = 0; i < 20; i++) {
            assertThat(caller.call("portfolio", "user" + i, "", new byte[0], DEADLINE).get().node())
                    .isEqualTo(before.get("user" + i));
        }
        nodes.stop("c");
        Await.require("a sees c down", WAIT, () -> !nodes.sees("a", "c"));
        for (int i = 0; i < 20; i++) {
            assertThat(caller.call("portfolio", "user" + i, "", new byte[0], DEADLINE).get().node()).isEqualTo("b");
        }
        nodes.start("c");
        Await.require("a sees c again", WAIT, () -> nodes.sees("a", "c"));
        Mesh again = nodes.serveEcho("c", "portfolio");
        for (int i = 0; i < 20; i++) {
            assertThat(caller.call("portfolio", "user" + i, "", new byte[0], DEADLINE).get().node())
                    .isEqualTo(before.get("user" + i));
        }
        again.close();
    }

    @Test
    void keyedGroupPicksTheNodeByTypeWithTheStarAsFallback() throws Exception {
        Mesh caller = nodes.attach("a");
        assertThat(caller.call("photos", "", "club", new byte[0], DEADLINE).get().node()).isEqualTo("c");
        assertThat(caller.call("photos", "", "other", new byte[0], DEADLINE).get().node()).isEqualTo("b");
        assertThat(caller.call("photos", "", "", new byte[0], DEADLINE).get().node()).isEqualTo("b");
    }

    @Test
    void aGroupOfThisNodeRunsOnItsOwnWorkers() throws Exception {
        MeshReply reply = nodes.attach("a").call("local", "k", "t", "hi".getBytes(StandardCharsets.UTF_8), DEADLINE).get();
        assertThat(reply.node()).isEqualTo("a");
        assertThat(reply.text()).contains("\"key\":\"k\"", "\"type\":\"t\"", "\"from\":\"a\"");
    }

    @Test
    void normalGroupSurvivesAStoppedMemberWithoutFailedCalls() throws Exception {
        Mesh caller = nodes.attach("a");
        nodes.stop("c");
        List<CompletableFuture<MeshReply>> calls = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            calls.add(caller.call("quotes", "", "", new byte[0], DEADLINE));
        }
        for (CompletableFuture<MeshReply> call : calls) {
            assertThat(call.get().node()).isEqualTo("b");
        }
    }

    @Test
    void fanOutGathersAllAndFirstCancelsTheLosers() throws Exception {
        Mesh caller = nodes.attach("a");
        List<MeshCall> calls = List.of(new MeshCall("quotes", "", "", new byte[0]),
                new MeshCall("portfolio", "u1", "", new byte[0]), new MeshCall("photos", "", "club", new byte[0]));
        List<MeshReply> all = caller.all(calls, DEADLINE).get();
        assertThat(all).hasSize(3);
        assertThat(all.get(2).node()).isEqualTo("c");
        assertThat(caller.first(calls, DEADLINE).get().node()).isIn("b", "c");
        assertThat(caller.quorum(calls, 2, DEADLINE).get()).hasSize(2);
    }

    @Test
    void aCallToAnUnknownGroupFailsWithTheReason() {
        Mesh caller = nodes.attach("a");
        assertThatThrownBy(() -> caller.call("nope", "", "", new byte[0], DEADLINE).get())
                .hasCauseInstanceOf(MeshCallException.class).hasMessageContaining("no mesh group nope");
    }

    @Test
    void aHandlerThatNeverAnswersCostsTheCallerOneDeadline() {
        Mesh stuck = nodes.attach("b");
        stuck.serve("slow", request -> new CompletableFuture<>());
        Mesh caller = nodes.attach("a");
        CompletableFuture<MeshReply> call = caller.call("slow", "", "", new byte[0], Duration.ofMillis(300));
        assertThatThrownBy(call::get).hasCauseInstanceOf(MeshCallException.class)
                .satisfies(e -> assertThat(((MeshCallException) e.getCause()).timeout()).isTrue());
    }
}
