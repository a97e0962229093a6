package dev.berth.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.posix.TcpListener;
import dev.berth.testpeers.Await;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shared and reuseport acceptor on a real listening socket and event loop, on a hand-moved clock. */
class SharedAcceptorTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private Fixture fixture;
    private TcpListener listener;

    @BeforeEach
    void setUp() {
        fixture = new Fixture(dir);
        listener = Fixture.listener();
    }

    @AfterEach
    void tearDown() {
        listener.close();
        fixture.close();
    }

    @Test
    void aConnectionIsServedByItsServiceAndCountedInTheSlot() throws Exception {
        SharedAcceptor acceptor = start(true);
        try (Socket client = Fixture.echoes(listener.localAddress(), "hello")) {
            assertThat(fixture.slot.accepted()).isEqualTo(1);
            assertThat(fixture.slot.active()).isEqualTo(1);
        }
        Await.require("the closed connection uncounted", WAIT, () -> fixture.slot.active() == 0);
        stop(acceptor);
    }

    @Test
    void whileBlockedInAcceptItsHeartbeatSaysWaitingOutsideAndAConnectionDoesNotChangeThat() throws Exception {
        SharedAcceptor acceptor = start(false);
        int entry = Fixture.THREADS;
        Await.require("waiting outside while blocked", WAIT, () -> beat(entry) == Long.MAX_VALUE);
        try (Socket client = Fixture.echoes(listener.localAddress(), "hello")) {
            Await.require("waiting outside again once the connection is handed over", WAIT,
                    () -> beat(entry) == Long.MAX_VALUE);
        }
        stop(acceptor);
    }

    @Test
    void stopEndsTheThreadWithinTheAcceptTimeout() throws Exception {
        SharedAcceptor acceptor = start(true);
        acceptor.stop();
        assertThat(join(acceptor)).isTrue();
    }

    @Test
    void stopWakesTheThreadOutOfAnAcceptWithoutTimeout() throws Exception {
        listener.acceptTimeout(Duration.ofMinutes(10));
        SharedAcceptor acceptor = start(true);
        Await.require("blocked in accept", WAIT, () -> beat(Fixture.THREADS) == Long.MAX_VALUE);
        long started = System.nanoTime();
        stop(acceptor);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void aWorkerClearlyBusierThanAnIdleSiblingStillAcceptsAfterItsYields() throws Exception {
        fixture.sibling(1, 0);
        for (int i = 0; i < 10; i++) {
            fixture.slot.connectionAccepted();
        }
        SharedAcceptor acceptor = start(true);
        try (Socket client = Fixture.echoes(listener.localAddress(), "later")) {
            assertThat(fixture.slot.accepted()).isEqualTo(11);
        }
        stop(acceptor);
    }

    private SharedAcceptor start(boolean yields) {
        SharedAcceptor acceptor = new SharedAcceptor(new ListenerBinding("echo", listener, fixture.echo),
                fixture.context, Fixture.THREADS, yields);
        acceptor.start();
        return acceptor;
    }

    private long beat(int entry) {
        return fixture.slot.heartbeat(entry);
    }

    private static void stop(Acceptor acceptor) throws InterruptedException {
        acceptor.stop();
        assertThat(join(acceptor)).isTrue();
    }

    private static boolean join(Acceptor acceptor) throws InterruptedException {
        Thread joiner = Thread.ofPlatform().start(() -> {
            try {
                acceptor.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        return joiner.join(WAIT) && !joiner.isAlive();
    }
}
