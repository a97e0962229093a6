package dev.berth.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.mesh.Mesh;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code berth mesh call --count N --concurrency C}: N calls with at most C in flight, summed up as
 * {@code {"calls","ok","failed","nodes":{node:count},"errors":{error:count},"keys":{key:node},
 * "p50-micros","p99-micros"}} ({@code keys} only when the key has {@code {i}}, which each call
 * replaces with its index; {@code errors} only when a call failed, by the failure's message).
 * Blocks the calling thread until every call has ended.
 */
final class MeshLoad {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Mesh mesh;
    private final String group;
    private final String key;
    private final String type;
    private final byte[] payload;
    private final Duration deadline;

    MeshLoad(Mesh mesh, String group, String key, String type, byte[] payload, Duration deadline) {
        this.mesh = mesh;
        this.group = group;
        this.key = key;
        this.type = type;
        this.payload = payload;
        this.deadline = deadline;
    }

    ObjectNode run(int count, int concurrency) throws InterruptedException {
        Semaphore window = new Semaphore(concurrency);
        long[] micros = new long[count];
        AtomicInteger ok = new AtomicInteger();
        Map<String, Integer> nodes = new TreeMap<>();
        Map<String, String> keys = new TreeMap<>();
        Map<String, Integer> errors = new TreeMap<>();
        boolean indexed = key.contains("{i}");
        CompletableFuture<?>[] calls = new CompletableFuture<?>[count];
        for (int i = 0; i < count; i++) {
            window.acquire();
            int index = i;
            String k = key.replace("{i}", Integer.toString(i));
            long started = System.nanoTime();
            calls[i] = mesh.call(group, k, type, payload, deadline).whenComplete((reply, failure) -> {
                micros[index] = (System.nanoTime() - started) / 1000;
                if (reply != null) {
                    ok.incrementAndGet();
                    synchronized (nodes) {
                        nodes.merge(reply.node(), 1, Integer::sum);
                        if (indexed) {
                            keys.put(k, reply.node());
                        }
                    }
                } else {
                    synchronized (errors) {
                        errors.merge(reason(failure), 1, Integer::sum);
                    }
                }
                window.release();
            });
        }
        CompletableFuture.allOf(calls).handle((r, e) -> null).join();
        Arrays.sort(micros);
        ObjectNode summary = JSON.createObjectNode().put("calls", count).put("ok", ok.get()).put("failed", count - ok.get());
        summary.set("nodes", JSON.valueToTree(nodes));
        if (!errors.isEmpty()) {
            summary.set("errors", JSON.valueToTree(errors));
        }
        if (indexed) {
            summary.set("keys", JSON.valueToTree(keys));
        }
        summary.put("p50-micros", micros[(int) ((count - 1) * 0.50)]);
        summary.put("p99-micros", micros[(int) ((count - 1) * 0.99)]);
        return summary;
    }

    /** What a failed call says: the first message down its chain of causes (a future wraps it). */
    private static String reason(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !(t instanceof java.util.concurrent.CompletionException)) {
                return t.getClass().getSimpleName() + ": " + t.getMessage();
            }
        }
        return failure.getClass().getSimpleName();
    }
}
