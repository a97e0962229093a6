package dev.berth.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.mesh.Mesh;
import dev.berth.mesh.MeshCallException;
import dev.berth.mesh.MeshReply;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code berth mesh call}: one call through this host's proxy, printed as {@code
 * {"group","node","ok","payload","micros"}}; with {@code --count N} N calls ({@code --concurrency}
 * at a time) and one summary object. The command takes a slot of its own in the slot file, like a
 * worker. Exit 0 when every call was answered, 1 otherwise.
 */
@Command(name = "call", description = "Send a call to a mesh group and print the reply as JSON.")
final class MeshCallCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DURATION = Pattern.compile("([0-9]+)(ms|s|m)");

    @Mixin
    ConfigOption config;

    @Option(names = "--group", required = true, description = "the mesh group")
    String group;

    @Option(names = "--key", defaultValue = "", description = "routing key (routed groups); {i} is the call's index")
    String key;

    @Option(names = "--type", defaultValue = "", description = "request type (keyed groups)")
    String type;

    @Option(names = "--timeout", defaultValue = "2s", description = "deadline of each call, like 500ms or 2s")
    String timeout;

    @Option(names = "--count", defaultValue = "1", description = "how many calls; more than 1 prints a summary")
    int count;

    @Option(names = "--concurrency", defaultValue = "1", description = "calls in flight at once (with --count)")
    int concurrency;

    @Parameters(arity = "0..1", defaultValue = "", description = "the payload (text)")
    String payload;

    @Override
    public Integer call() throws Exception {
        Duration deadline = duration(timeout);
        try (Mesh mesh = Mesh.attach(config.runDir().resolve(Mesh.SLOT_FILE))) {
            if (count > 1) {
                ObjectNode summary = new MeshLoad(mesh, group, key, type, payload.getBytes(StandardCharsets.UTF_8),
                        deadline).run(count, Math.max(1, concurrency));
                System.out.println(summary);
                return summary.path("failed").asLong() == 0 ? 0 : 1;
            }
            long started = System.nanoTime();
            ObjectNode line = JSON.createObjectNode().put("group", group);
            try {
                MeshReply reply = mesh.call(group, key, type, payload.getBytes(StandardCharsets.UTF_8), deadline).join();
                line.put("node", reply.node()).put("ok", true).put("payload", reply.text());
            } catch (CompletionException e) {
                MeshCallException failure = e.getCause() instanceof MeshCallException m ? m : null;
                line.put("node", failure == null ? "" : failure.node()).put("ok", false)
                        .put("error", String.valueOf(e.getCause().getMessage()));
            }
            line.put("micros", (System.nanoTime() - started) / 1000);
            System.out.println(line);
            return line.path("ok").asBoolean() ? 0 : 1;
        }
    }

    static Duration duration(String text) {
        Matcher m = DURATION.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("--timeout " + text + " is not a duration like 500ms, 2s or 1m");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            default -> Duration.ofMinutes(n);
        };
    }
}
