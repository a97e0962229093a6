package dev.berth.maildir;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MaildirConcurrencyTest {

    private static final int THREADS = 8;
    private static final int PER_THREAD = 25;

    @Test
    void deliveriesFromEightThreadsGetUniqueNamesAndAllArrive(@TempDir Path root) throws Exception {
        // two stores on one root, as two sessions of one worker would have
        MaildirStore a = MaildirStore.at(root, "h");
        MaildirStore b = MaildirStore.at(root, "h");
        Path box = root.resolve("example.test/alice");
        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<Path>>> futures = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            for (int t = 0; t < THREADS; t++) {
                MaildirStore store = t % 2 == 0 ? a : b;
                byte[] body = ("thread " + t + "\r\n").getBytes(US_ASCII);
                Callable<List<Path>> task = () -> {
                    start.await();
                    List<Path> out = new ArrayList<>();
                    for (int i = 0; i < PER_THREAD; i++) {
                        out.addAll(store.deliver(List.of(new MaildirTarget(box, new byte[0])), MessageBody.of(body)));
                    }
                    return out;
                };
                futures.add(pool.submit(task));
            }
            start.countDown();
            Set<Path> all = new HashSet<>();
            for (Future<List<Path>> f : futures) {
                all.addAll(f.get(30, TimeUnit.SECONDS));
            }
            assertThat(all).hasSize(THREADS * PER_THREAD);
        } finally {
            pool.shutdownNow();
        }
        MaildirMailbox mailbox = a.open(box);
        assertThat(mailbox.messages()).hasSize(THREADS * PER_THREAD);
        assertThat(mailbox.messages().stream().map(MaildirMessage::uid).distinct()).hasSize(THREADS * PER_THREAD);
        assertThat(MaildirDeliveryTest.list(box.resolve("tmp"))).isEmpty();
    }
}
