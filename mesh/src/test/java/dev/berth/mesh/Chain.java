package dev.berth.mesh;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Round trips of an asynchronous caller: each call starts in the callback of the one before, on
 * the thread that completed it (a {@link SlotClient}'s reader), instead of on a thread woken from
 * {@code get()}. {@code min(n, 20000)} warm-up calls, then {@code n} timed ones, back to back.
 */
final class Chain {

    private final Supplier<CompletableFuture<?>> call;
    private final long[] rtt;
    private final CompletableFuture<long[]> done = new CompletableFuture<>();

    private Chain(int n, Supplier<CompletableFuture<?>> call) {
        this.call = call;
        this.rtt = new long[n];
    }

    /**
     * The calls' times in nanoseconds, from {@code call.get()} to the start of its callback; blocks
     * the calling thread until the last has answered (at most 10 minutes).
     *
     * @throws Exception the first failed call's failure
     */
    static long[] trips(int n, Supplier<CompletableFuture<?>> call) throws Exception {
        Chain chain = new Chain(n, call);
        chain.step(-Math.min(n, 20_000));
        return chain.done.get(10, TimeUnit.MINUTES);
    }

    private void step(int i) {
        if (i == rtt.length) {
            done.complete(rtt);
            return;
        }
        long start = System.nanoTime();
        call.get().whenComplete((reply, failure) -> {
            if (failure != null) {
                done.completeExceptionally(failure);
                return;
            }
            if (i >= 0) {
                rtt[i] = System.nanoTime() - start;
            }
            step(i + 1);
        });
    }
}
