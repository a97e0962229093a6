package dev.berth.mesh;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DeadlinesTest {

    private static final long MS = 1_000_000;
    private final Deadlines deadlines = new Deadlines("test-deadlines", System::nanoTime);

    @AfterEach
    void close() {
        deadlines.close();
    }

    @Test
    void anActionRunsOnTheDeadlineThreadOnceItsTimeHasCome() throws Exception {
        CompletableFuture<String> ran = new CompletableFuture<>();
        long added = System.nanoTime();
        deadlines.add(20 * MS, () -> ran.complete(Thread.currentThread().getName()));
        assertThat(ran.get(10, TimeUnit.SECONDS)).isEqualTo("test-deadlines");
        assertThat(System.nanoTime() - added).isGreaterThanOrEqualTo(20 * MS);
        assertThat(deadlines.size()).isZero();
    }

    @Test
    void anEarlierDeadlineWakesTheThreadThatSleepsForALaterOne() throws Exception {
        deadlines.add(TimeUnit.HOURS.toNanos(1), () -> { });
        CompletableFuture<Void> ran = new CompletableFuture<>();
        deadlines.add(10 * MS, () -> ran.complete(null));
        ran.get(10, TimeUnit.SECONDS);
        assertThat(deadlines.size()).isEqualTo(1);
    }

    @Test
    void aCancelledDeadlineNeverRunsAndTheOthersRunInTheirOrder() throws Exception {
        List<String> ran = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> last = new CompletableFuture<>();
        deadlines.add(60 * MS, () -> {
            ran.add("third");
            last.complete(null);
        });
        deadlines.add(30 * MS, () -> ran.add("second"));
        deadlines.add(10 * MS, () -> ran.add("cancelled")).cancel();
        deadlines.add(0, () -> ran.add("first"));
        last.get(10, TimeUnit.SECONDS);
        assertThat(ran).containsExactly("first", "second", "third");
    }

    @Test
    void manyDeadlinesAddedFromManyThreadsAllRun() throws Exception {
        int threads = 4;
        int each = 500;
        java.util.concurrent.CountDownLatch all = new java.util.concurrent.CountDownLatch(threads * each);
        List<Thread> adders = new java.util.ArrayList<>();
        for (int t = 0; t < threads; t++) {
            adders.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < each; i++) {
                    deadlines.add((i % 5) * MS, all::countDown);
                }
            }));
        }
        for (Thread t : adders) {
            t.join(10_000);
        }
        assertThat(all.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void anActionThatThrowsDoesNotStopTheOthers() throws Exception {
        CompletableFuture<Void> after = new CompletableFuture<>();
        deadlines.add(0, () -> {
            throw new IllegalStateException("boom");
        });
        deadlines.add(5 * MS, () -> after.complete(null));
        after.get(10, TimeUnit.SECONDS);
    }
}
