package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.testpeers.Await;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code berth mesh call} on host a of {@link MeshHosts}, as an operator runs it: one call or a
 * load ({@code --count N --concurrency C}) and its summary object. Each blocks at most a bounded
 * time.
 */
final class MeshCalls {

    private static final ObjectMapper JSON = new ObjectMapper();

    private MeshCalls() {
    }

    /** Runs {@code berth mesh call ARGS} on host a and returns its (last) JSON line. */
    static JsonNode call(MeshHosts mesh, String... args) {
        List<String> all = new ArrayList<>(List.of("mesh", "call"));
        all.addAll(List.of(args));
        try {
            String[] lines = mesh.host("a").cli(all.toArray(String[]::new)).output().strip().split("\n");
            return JSON.readTree(lines[lines.length - 1]);
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Starts {@code berth mesh call ARGS} on host a without waiting for it. */
    static Process load(MeshHosts mesh, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Berth.JAVA, "--enable-native-access=ALL-UNNAMED", "-cp",
                Berth.JAR.toString(), "dev.berth.cli.Main", "mesh", "call"));
        command.addAll(List.of(args));
        command.addAll(List.of("-c", mesh.host("a").config().toString()));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    /** Waits until the calling process {@code load} has sent {@code calls} calls through a's proxy. */
    static void awaitCalls(MeshHosts mesh, Process load, long calls) {
        Await.require(calls + " calls sent by pid " + load.pid(), Duration.ofSeconds(60), () -> {
            for (JsonNode slot : mesh.status("a").path("slots").path("used")) {
                if (slot.path("pid").asLong() == load.pid() && slot.path("calls").asLong() >= calls) {
                    return true;
                }
            }
            return false;
        });
    }

    /** The summary line a load printed, once it has ended. */
    static JsonNode summary(Process load) throws IOException, InterruptedException {
        // the load prints one line at its end, so its output fits the pipe while it runs
        assertThat(load.waitFor(120, TimeUnit.SECONDS)).as("the load ended").isTrue();
        return JSON.readTree(new String(load.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip());
    }

    /** A summary's {@code keys}: key to the node that answered it. */
    static Map<String, String> keys(JsonNode summary) {
        Map<String, String> keys = new TreeMap<>();
        summary.path("keys").properties().forEach(e -> keys.put(e.getKey(), e.getValue().asText()));
        return keys;
    }

    /** The names of a JSON object's fields (a summary's {@code nodes}). */
    static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
