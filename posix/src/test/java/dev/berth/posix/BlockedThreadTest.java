package dev.berth.posix;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BlockedThreadTest {

    @Test
    void theJdksInterruptHandlerIsThere() {
        assertThat(BlockedThread.canWake()).isTrue();
    }

    @Test
    void aThreadBlockedInAcceptWithoutATimeoutIsWokenAndStops() throws Exception {
        try (TcpListener l = TcpListener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16, false)) {
            CompletableFuture<BlockedThread> blocked = new CompletableFuture<>();
            AtomicInteger accepted = new AtomicInteger();
            AtomicInteger wakeUps = new AtomicInteger();
            CountDownLatch first = new CountDownLatch(1);
            Thread acceptor = Thread.ofPlatform().start(() -> {
                blocked.complete(BlockedThread.current());
                while (!Thread.currentThread().isInterrupted()) {
                    int fd = l.accept();
                    if (fd >= 0) {
                        FileDescriptors.close(fd);
                        accepted.incrementAndGet();
                        first.countDown();
                    } else {
                        wakeUps.incrementAndGet();
                    }
                }
            });
            BlockedThread thread = blocked.get(5, TimeUnit.SECONDS);
            thread.wake(); // before or during the first accept: either way harmless
            new Socket(l.localAddress().getAddress(), l.localAddress().getPort()).close();
            assertThat(first.await(5, TimeUnit.SECONDS)).as("still accepts after a wake-up").isTrue();

            long started = System.nanoTime();
            acceptor.interrupt(); // the flag the thread checks; interrupt() alone does not end accept(2)
            BlockedThread.joinWaking(acceptor, () -> thread, Duration.ofMillis(50));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
            assertThat(acceptor.isAlive()).isFalse();
            assertThat(accepted.get()).isEqualTo(1);
            assertThat(wakeUps.get()).isPositive();
            thread.wake(); // after the thread ended: nothing happens
        }
    }
}
