package dev.berth.it;

import static dev.berth.it.MeshCalls.fieldNames;
import static dev.berth.it.MeshCalls.keys;
import static dev.berth.it.MeshCalls.summary;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.posix.Processes;
import dev.berth.testpeers.Await;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mesh across three real hosts ({@link MeshHosts}: network namespaces made by the test, a
 * master with its mesh proxy and workers in each), called from host a with {@code berth mesh
 * call} as an operator would. Each test leaves the three hosts running, linked and healthy.
 */
class MeshProcessTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int IN_FLIGHT = 8;

    @TempDir
    static Path dir;
    static MeshHosts mesh;

    @BeforeAll
    static void start() throws Exception {
        mesh = MeshHosts.start(dir);
        mesh.awaitLinked();
    }

    @AfterAll
    static void stop() {
        if (mesh != null) {
            mesh.close();
        }
    }

    @AfterEach
    void everyHostRunsAndIsHealthy() throws IOException {
        MeshHosts.NAMES.forEach(name -> mesh.signal(name, Processes.SIGCONT));
        mesh.awaitHealthy();
    }

    @Test
    void everyRoutingModeAnswersFromItsNodesAndThePortalComposesThem() throws Exception {
        JsonNode normal = call("--group", "quotes", "--count", "20", "--concurrency", "4", "hello");
        assertThat(normal.path("failed").asInt()).isZero();
        assertThat(fieldNames(normal.path("nodes"))).as("a's mesh status: %s", mesh.status("a"))
                .containsExactlyInAnyOrder("b", "c");

        assertThat(call("--group", "photos", "--type", "club", "x").path("node").asText()).isEqualTo("c");
        JsonNode other = call("--group", "photos", "--type", "hiking", "x");
        assertThat(other.path("node").asText()).isEqualTo("b");
        assertThat(JSON.readTree(other.path("payload").asText()).path("type").asText()).isEqualTo("hiking");

        Map<String, String> keys = keys(call("--group", "portfolio", "--count", "40", "--key", "user{i}", "x"));
        assertThat(keys).hasSize(40);
        assertThat(keys.values()).contains("b", "c");
        assertThat(keys(call("--group", "portfolio", "--count", "40", "--key", "user{i}", "x"))).isEqualTo(keys);

        JsonNode page = JSON.readTree(mesh.run("a", "curl", "-sS", "http://127.0.0.1:"
                + mesh.host("a").port("portal") + "/portal?key=user7&type=club"));
        assertThat(page.path("key").asText()).isEqualTo("user7");
        assertThat(page.path("parts")).hasSize(3).allSatisfy(p -> assertThat(p.path("ok").asBoolean()).isTrue());
        assertThat(page.path("parts").get(1).path("node").asText()).isEqualTo(keys.get("user7"));
        assertThat(page.path("parts").get(2).path("node").asText()).isEqualTo("c");

        String metrics = mesh.run("a", "curl", "-sS", "http://"
                + mesh.host("a").status().path("master").path("admin").asText() + "/metrics");
        assertThat(metrics).containsPattern("berth_mesh_calls_total\\{[^}]*group=\"photos\"[^}]*node=\"c\"[^}]*outcome=\"ok\"[^}]*} [1-9]")
                .containsPattern("berth_mesh_calls_total\\{group=\"quotes\",node=\"b\",outcome=\"ok\",pool=\"mesh\"} [1-9]")
                .containsPattern("berth_mesh_call_seconds_count\\{[^}]*group=\"quotes\"[^}]*} [1-9]");
    }

    @Test
    void normalGroupSurvivesAKilledHostWithNoFailedCallBeyondThoseInFlight() throws Exception {
        Process load = quotesUnderLoad(3000, "5s", 500);
        assertThat(connections("a", "b")).isBetween(1L, 2L);
        assertThat(connections("a", "c")).isBetween(1L, 2L);
        mesh.kill("c");
        JsonNode summary = atMostInFlightFailed(load, 3000);
        assertThat(summary.path("nodes").path("b").asInt()).isPositive();
        assertThat(summary.path("nodes").path("c").asInt()).isPositive();
    }

    @Test
    void routedKeysOfALeavingNodeMoveToTheSurvivorAndComeBackWithIt() throws Exception {
        Map<String, String> before = keys(call("--group", "portfolio", "--count", "40", "--key", "user{i}", "x"));
        assertThat(before.values()).contains("b", "c");
        mesh.kill("c");
        Await.require("a to see c down", Duration.ofSeconds(10), () -> !mesh.sees("a", "c"));
        JsonNode during = call("--group", "portfolio", "--count", "40", "--key", "user{i}", "x");
        assertThat(during.path("failed").asInt()).isZero();
        assertThat(keys(during).values()).containsOnly("b");
        before.forEach((key, node) -> {
            if (node.equals("b")) {
                assertThat(keys(during).get(key)).as("b's own key %s stays", key).isEqualTo("b");
            }
        });
        mesh.start("c");
        mesh.awaitLinked();
        assertThat(keys(call("--group", "portfolio", "--count", "40", "--key", "user{i}", "x"))).isEqualTo(before);
    }

    @Test
    void aStoppedHostCostsAtMostOneDeadlinePerCallInFlightAndIsProbedBackWhenItResumes() throws Exception {
        Process load = quotesUnderLoad(2000, "2s", 300);
        mesh.signal("c", Processes.SIGSTOP);
        Await.require("c marked down after its missed pings", Duration.ofSeconds(10), () -> !mesh.sees("a", "c"));
        atMostInFlightFailed(load, 2000);
        mesh.signal("c", Processes.SIGCONT);
        Await.require("a to see c up again", Duration.ofSeconds(30), () -> mesh.sees("a", "c"));
        JsonNode after = call("--group", "quotes", "--count", "20", "--concurrency", "4", "x");
        assertThat(fieldNames(after.path("nodes"))).as("a's mesh status: %s\na: %s\nc: %s", mesh.status("a"),
                mesh.peerLog("a"), mesh.peerLog("c")).contains("c");
    }

    @Test
    void aKilledProxyIsReplacedByItsMasterAndOnlyTheCallsItHeldFail() throws Exception {
        long proxy = mesh.proxyPid("a");
        long epoch = mesh.status("a").path("epoch").asLong();
        assertThat(mesh.status("a").path("pid").asLong()).isEqualTo(proxy);
        Process load = quotesUnderLoad(2000, "30s", 300);
        Processes.signal(proxy, Processes.SIGKILL);
        atMostInFlightFailed(load, 2000);
        assertThat(mesh.proxyPid("a")).isNotIn(0L, proxy);
        assertThat(mesh.status("a").path("epoch").asLong()).isGreaterThan(epoch);
        JsonNode pool = pool(mesh.host("a").status(), "mesh");
        assertThat(pool.path("restarts").asInt()).as("mesh pool: %s", pool).isPositive();
    }

    @Test
    void aBackendWorkerKilledMidCallIsReplacedAndItsCallsAreRetriedElsewhere() throws Exception {
        long worker = mesh.host("c").readyPids("backend").getFirst();
        Process load = quotesUnderLoad(2000, "5s", 300);
        Processes.signal(worker, Processes.SIGKILL);
        atMostInFlightFailed(load, 2000);
        mesh.host("c").awaitReady(Duration.ofSeconds(60));
        long successor = mesh.host("c").readyPids("backend").getFirst();
        assertThat(successor).isNotEqualTo(worker);
        Await.require("c's proxy to see the new worker's slot", Duration.ofSeconds(30),
                () -> slotPids("c").contains(successor) && !slotPids("c").contains(worker));
        assertThat(call("--group", "photos", "--type", "club", "x").path("node").asText()).isEqualTo("c");
    }

    @Test
    void aReloadedHostAndAStoppedOneDrainWithoutFailingACall() throws Exception {
        long proxy = mesh.proxyPid("c");
        Process duringReload = quotesUnderLoad(4000, "5s", 300);
        mesh.reload("c", "350ms");
        Await.require("c's proxy replaced by the reload", Duration.ofSeconds(60),
                () -> mesh.proxyPid("c") != 0 && mesh.proxyPid("c") != proxy);
        Await.require("a to see c up again", Duration.ofSeconds(30), () -> mesh.sees("a", "c"));
        JsonNode reloaded = summary(duringReload);
        assertThat(reloaded.path("failed").asInt()).as("summary %s", reloaded).isZero();
        assertThat(reloaded.path("ok").asInt()).isEqualTo(4000);
        // a second load, so that c's return is seen whatever the first one's speed: the first may
        // end before c's new proxy is up (it did after a 2.4 s stall of the machine). b carried the
        // first alone, and may have been ejected for failures under it (a stalled machine leaves
        // its worker's slot heartbeat stale): it must take calls again before it is stopped
        Await.require("a to route quotes to b again", Duration.ofSeconds(60),
                () -> call("--group", "quotes", "--count", "20", "--concurrency", "4", "x").path("nodes").has("b"));
        Process duringStop = quotesUnderLoad(4000, "5s", 300);
        assertThat(mesh.host("b").request("stop", false).path("ok").asBoolean()).isTrue();
        assertThat(mesh.host("b").master().waitFor(60, TimeUnit.SECONDS)).isTrue();
        JsonNode stopped = summary(duringStop);
        assertThat(stopped.path("failed").asInt()).as("summary %s", stopped).isZero();
        assertThat(stopped.path("ok").asInt()).isEqualTo(4000);
        assertThat(stopped.path("nodes").path("b").asInt()).as("summary %s\na's mesh status: %s", stopped,
                mesh.status("a")).isPositive();
        assertThat(stopped.path("nodes").path("c").asInt()).as("summary %s\na's mesh status: %s\na: %s\nc: %s",
                stopped, mesh.status("a"), mesh.peerLog("a"), mesh.peerLog("c")).isPositive();
    }

    @Test
    void aCallerKilledMidCallHasItsSlotReclaimedAndNoOtherCallerNotices() throws Exception {
        Process doomed = quotesUnderLoad(1_000_000, "5s", 0);
        Process bystander = load("--group", "portfolio", "--count", "1500", "--concurrency", "4", "--key", "k{i}", "x");
        MeshCalls.awaitCalls(mesh, doomed, 200);
        Processes.signal(doomed.pid(), Processes.SIGKILL);
        doomed.waitFor(10, TimeUnit.SECONDS);
        Await.require("the killed caller's slot reclaimed", Duration.ofSeconds(5), () -> !slotPids("a").contains(doomed.pid()));
        JsonNode summary = summary(bystander);
        assertThat(summary.path("failed").asInt()).isZero();
        Await.require("no call in flight at a", Duration.ofSeconds(10),
                () -> mesh.status("a").path("in-flight").asInt() == 0);
        assertThat(call("--group", "quotes", "after").path("ok").asBoolean()).isTrue();
    }

    /** Starts {@code count} calls to quotes from a, {@value #IN_FLIGHT} in flight, and waits until {@code sent} went out. */
    private static Process quotesUnderLoad(int count, String timeout, int sent) throws IOException {
        Process load = load("--group", "quotes", "--count", Integer.toString(count), "--concurrency",
                Integer.toString(IN_FLIGHT), "--timeout", timeout, "x");
        MeshCalls.awaitCalls(mesh, load, sent);
        return load;
    }

    /** The summary of a load of {@code count} calls, once every call ended and at most those in flight failed. */
    private static JsonNode atMostInFlightFailed(Process load, int count) throws Exception {
        JsonNode summary = summary(load);
        assertThat(summary.path("ok").asInt() + summary.path("failed").asInt()).isEqualTo(count);
        assertThat(summary.path("failed").asInt()).as("summary %s\n%s", summary, mesh.peerLog("a"))
                .isLessThanOrEqualTo(IN_FLIGHT);
        return summary;
    }

    private static JsonNode call(String... args) {
        return MeshCalls.call(mesh, args);
    }

    private static Process load(String... args) throws IOException {
        return MeshCalls.load(mesh, args);
    }

    private static JsonNode pool(JsonNode status, String name) {
        for (JsonNode p : status.path("pools")) {
            if (p.path("name").asText().equals(name)) {
                return p;
            }
        }
        throw new AssertionError("no pool " + name + " in " + status);
    }

    private static List<Long> slotPids(String host) {
        List<Long> pids = new ArrayList<>();
        mesh.status(host).path("slots").path("used").forEach(s -> pids.add(s.path("pid").asLong()));
        return pids;
    }

    /** Established TCP connections from {@code from}'s namespace to {@code to}'s mesh listener. */
    private static long connections(String from, String to) throws Exception {
        String port = mesh.status(to).path("listen").asText().replaceAll(".*:", "");
        return mesh.run(from, "ss", "-Htn", "state", "established", "dst",
                mesh.address(to) + ":" + port).lines().filter(l -> !l.isBlank()).count();
    }
}
