package dev.berth.maildir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** The group commit of a directory's fsync, with the fsync replaced by a slow, recording one. */
class DirectorySyncTest {

    private static final Path DIR = Path.of("/nonexistent/new");

    /** One fsync as it ran: when it began and ended (System.nanoTime). */
    private record Ran(long began, long ended) {
    }

    @Test
    void everyCallerReturnsAfterAnFsyncThatBeganAfterItsCallAndCallersShareThem() throws Exception {
        List<Ran> runs = new CopyOnWriteArrayList<>();
        DirectorySync sync = new DirectorySync(DIR, dir -> {
            long began = System.nanoTime();
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20)); // a slow disk
            runs.add(new Ran(began, System.nanoTime()));
        });
        int callers = 16;
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<long[]>> calls = new ArrayList<>();
        try {
            for (int i = 0; i < callers; i++) {
                calls.add(pool.submit(() -> {
                    start.await();
                    long called = System.nanoTime();
                    sync.sync();
                    return new long[] {called, System.nanoTime()};
                }));
            }
            start.countDown();
            for (Future<long[]> call : calls) {
                long[] t = call.get(10, TimeUnit.SECONDS);
                assertThat(runs).as("an fsync that began after the call and ended before the return")
                        .anyMatch(r -> r.began() >= t[0] && r.ended() <= t[1]);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(runs.size()).as("fsyncs for %d callers", callers).isBetween(1, callers / 2);
    }

    @Test
    void aFailedFsyncFailsItsRoundOnlyAndTheNextRoundRunsAfresh() throws Exception {
        AtomicInteger n = new AtomicInteger();
        DirectorySync sync = new DirectorySync(DIR, dir -> {
            if (n.incrementAndGet() == 1) {
                throw new IOException("EIO");
            }
        });
        assertThatThrownBy(sync::sync).isInstanceOf(IOException.class).hasMessageContaining("EIO")
                .hasMessageContaining(DIR.toString());
        sync.sync();
        assertThat(n.get()).isEqualTo(2);
    }

    @Test
    void anFsyncThatThrowsSomethingElseFailsItsRoundWithoutClaimingDurability() {
        DirectorySync sync = new DirectorySync(DIR, dir -> {
            throw new IllegalStateException("bug");
        });
        assertThatThrownBy(sync::sync).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(sync::sync).as("the next round runs its own fsync").isInstanceOf(IllegalStateException.class);
    }
}
