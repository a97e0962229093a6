package dev.berth.mesh;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Scatter and gather under one deadline: {@code all} is a quorum of every call, {@code first} a
 * quorum of one. Losers are cancelled as soon as the outcome is known. Stateless.
 */
final class FanOut {

    private FanOut() {
    }

    static CompletableFuture<List<MeshReply>> quorum(Mesh mesh, List<MeshCall> calls, int needed, Duration deadline) {
        if (needed < 1 || needed > calls.size()) {
            throw new IllegalArgumentException("needed must be 1.." + calls.size() + ": " + needed);
        }
        List<CompletableFuture<MeshReply>> futures = new ArrayList<>();
        for (MeshCall call : calls) {
            futures.add(mesh.call(call.group(), call.key(), call.type(), call.payload(), deadline));
        }
        CompletableFuture<List<MeshReply>> result = new CompletableFuture<>();
        List<MeshReply> replies = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger failures = new AtomicInteger();
        MeshReply[] ordered = new MeshReply[calls.size()];
        boolean all = needed == calls.size();
        for (int i = 0; i < futures.size(); i++) {
            int index = i;
            futures.get(i).whenComplete((reply, failure) -> {
                if (failure == null) {
                    synchronized (ordered) {
                        ordered[index] = reply;
                        replies.add(reply);
                        if (replies.size() == needed) {
                            result.complete(all ? List.of(ordered) : List.copyOf(replies.subList(0, needed)));
                        }
                    }
                } else if (calls.size() - failures.incrementAndGet() < needed) {
                    result.completeExceptionally(failure instanceof java.util.concurrent.CompletionException c
                            && c.getCause() != null ? c.getCause() : failure);
                }
            });
        }
        result.whenComplete((ok, failure) -> futures.forEach(f -> f.cancel(false)));
        return result;
    }
}
