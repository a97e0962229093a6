package dev.berth.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.mesh.Mesh;
import dev.berth.mesh.MeshReply;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code berth mesh call --count N --concurrency C}: N calls with at most C in flight, summed up as
 * {@code {"calls","ok","failed","nodes":{node:count},"errors":{error:count},"keys":{key:node},
 * "p50-micros","p99-micros"}} ({@code keys} only when the key has {@code {i}}, which each call
 * replaces with its index; {@code errors} only when a call failed, by the failure's message).
 * Blocks the calling thread until every call has ended; the calls after the first {@code C} start
 * in the callbacks of those that ended.
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
        Tally tally = new Tally(count);
        for (int c = 0; c < Math.min(concurrency, count); c++) {
            tally.next();
        }
        tally.ended.await();
        long[] micros = tally.micros;
        Arrays.sort(micros);
        int ok = tally.ok.get();
        ObjectNode summary = JSON.createObjectNode().put("calls", count).put("ok", ok).put("failed", count - ok);
        summary.set("nodes", JSON.valueToTree(tally.nodes));
        if (!tally.errors.isEmpty()) {
            summary.set("errors", JSON.valueToTree(tally.errors));
        }
        if (key.contains("{i}")) {
            summary.set("keys", JSON.valueToTree(tally.keys));
        }
        summary.put("p50-micros", micros[(int) ((count - 1) * 0.50)]);
        summary.put("p99-micros", micros[(int) ((count - 1) * 0.99)]);
        return summary;
    }

    /**
     * One run's calls and what they gave. Each call that ends starts the next in its callback, on
     * the thread that completed it (the mesh client's reader), so no thread is woken to send it.
     */
    private final class Tally {
        final long[] micros;
        final AtomicInteger ok = new AtomicInteger();
        final Map<String, Integer> nodes = new TreeMap<>();
        final Map<String, String> keys = new TreeMap<>();
        final Map<String, Integer> errors = new TreeMap<>();
        final CountDownLatch ended;
        private final AtomicInteger started = new AtomicInteger();

        Tally(int count) {
            this.micros = new long[count];
            this.ended = new CountDownLatch(count);
        }

        /** Starts calls until one is still running when its future is returned, or none is left. */
        void next() {
            while (true) {
                int i = started.getAndIncrement();
                if (i >= micros.length) {
                    return;
                }
                CompletableFuture<MeshReply> call = start(i);
                if (!call.isDone()) {
                    call.whenComplete((reply, failure) -> next());
                    return;
                }
                // it failed at once: the next starts here rather than in a callback nested in this one
            }
        }

        private CompletableFuture<MeshReply> start(int i) {
            String k = key.replace("{i}", Integer.toString(i));
            long begun = System.nanoTime();
            return mesh.call(group, k, type, payload, deadline).whenComplete((reply, failure) -> {
                micros[i] = (System.nanoTime() - begun) / 1000;
                if (reply != null) {
                    ok.incrementAndGet();
                    synchronized (nodes) {
                        nodes.merge(reply.node(), 1, Integer::sum);
                        keys.put(k, reply.node());
                    }
                } else {
                    synchronized (errors) {
                        errors.merge(reason(failure), 1, Integer::sum);
                    }
                }
                ended.countDown();
            });
        }
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
