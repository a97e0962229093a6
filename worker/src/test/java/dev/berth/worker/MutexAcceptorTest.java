package dev.berth.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.posix.AcceptLock;
import dev.berth.posix.TcpListener;
import dev.berth.testpeers.Await;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The mutex acceptor against a real flock held by the test as another worker would hold it. */
class MutexAcceptorTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int ENTRY = Fixture.THREADS;

    @TempDir
    Path dir;

    private Fixture fixture;
    private TcpListener listener;
    private MutexAcceptor acceptor;

    @BeforeEach
    void setUp() {
        fixture = new Fixture(dir);
        listener = Fixture.listener();
        acceptor = new MutexAcceptor(List.of(new ListenerBinding("echo", listener, fixture.echo)),
                AcceptLock.open(dir.resolve("accept.lock")), fixture.context, ENTRY);
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        acceptor.stop();
        acceptor.join();
        listener.close();
        fixture.close();
    }

    @Test
    void aConnectionIsTakenUnderTheLockAndServed() throws Exception {
        acceptor.start();
        try (Socket client = Fixture.echoes(listener.localAddress(), "mutex")) {
            assertThat(fixture.slot.accepted()).isEqualTo(1);
        }
        Await.require("the entry marked waiting outside while it waits for the next", WAIT,
                () -> fixture.slot.heartbeat(ENTRY) == Long.MAX_VALUE);
    }

    @Test
    void whileASiblingHoldsTheLockItWaitsOutsideAndTakesNothing() throws Exception {
        try (AcceptLock sibling = AcceptLock.open(dir.resolve("accept.lock"))) {
            sibling.lock();
            acceptor.start();
            Await.require("the entry marked waiting outside", WAIT,
                    () -> fixture.slot.heartbeat(ENTRY) == Long.MAX_VALUE);
            try (Socket queued = new Socket(listener.localAddress().getAddress(), listener.localAddress().getPort())) {
                assertThat(fixture.slot.accepted()).as("queued in the kernel while the sibling holds the lock").isZero();
                sibling.unlock();
                Await.require("the queued connection taken once the lock is free", WAIT,
                        () -> fixture.slot.accepted() == 1);
            }
        }
    }
}
