package dev.berth.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.posix.FileDescriptors;
import dev.berth.posix.TcpListener;
import dev.berth.testpeers.Await;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Accepting inside the event loop, on a real listening socket shared by two workers' loops (two
 * fixtures in this JVM stand for two processes: EPOLLEXCLUSIVE works per epoll instance).
 */
class LoopAcceptorTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path one;
    @TempDir
    Path two;

    private Fixture first;
    private Fixture second;
    private TcpListener listener;

    @BeforeEach
    void setUp() {
        first = new Fixture(one);
        second = new Fixture(two);
        listener = Fixture.listener();
        listener.blocking(false);
    }

    @AfterEach
    void tearDown() {
        listener.close();
        first.close();
        second.close();
    }

    @Test
    void aConnectionIsAcceptedAndServedByTheLoopThatWasWoken() throws Exception {
        LoopAcceptor acceptor = start(first, true);
        try (Socket client = Fixture.echoes(listener.localAddress(), "in the loop")) {
            assertThat(first.slot.accepted()).isEqualTo(1);
        }
        stop(acceptor);
    }

    @Test
    void loopsWaitingOnASharedSocketTakeConnectionsInTurn() throws Exception {
        LoopAcceptor a = start(first, true);
        LoopAcceptor b = start(second, true);
        List<Socket> open = new ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                open.add(Fixture.echoes(listener.localAddress(), "turn " + i));
            }
        } finally {
            for (Socket s : open) {
                s.close();
            }
        }
        // the kernel wakes the first idle loop in the socket's list, and each moves to the end after
        // a wake-up: in turn while both are idle (without the move, the first would take nearly all)
        assertThat(first.slot.accepted() + second.slot.accepted()).isEqualTo(10);
        assertThat(first.slot.accepted()).isBetween(3L, 7L);
        stop(a);
        stop(b);
    }

    @Test
    void afterStopAConnectionStaysQueuedForOthers() throws Exception {
        LoopAcceptor acceptor = start(first, true);
        stop(acceptor);
        try (Socket queued = new Socket(listener.localAddress().getAddress(), listener.localAddress().getPort())) {
            int[] fd = {-1};
            Await.require("the connection accepted by someone else", WAIT, () -> (fd[0] = listener.accept()) >= 0);
            FileDescriptors.close(fd[0]);
            assertThat(first.slot.accepted()).isZero();
        }
    }

    @Test
    void pastItsRecycleLimitAWorkerLeavesNewConnectionsToAReadySibling() throws Exception {
        first.slot.acceptLimit(1);
        first.sibling(1, 0);
        LoopAcceptor acceptor = start(first, true);
        try (Socket client = Fixture.echoes(listener.localAddress(), "the last one")) {
            assertThat(first.slot.accepted()).isEqualTo(1);
        }
        try (Socket queued = new Socket(listener.localAddress().getAddress(), listener.localAddress().getPort())) {
            int[] fd = {-1};
            Await.require("the next connection left in the queue", WAIT, () -> (fd[0] = listener.accept()) >= 0);
            FileDescriptors.close(fd[0]);
            assertThat(first.slot.accepted()).as("no overshoot").isEqualTo(1);
        }
        stop(acceptor);
    }

    @Test
    void pastItsRecycleLimitALoneWorkerAcceptsOn() throws Exception {
        first.slot.acceptLimit(1);
        LoopAcceptor acceptor = start(first, true);
        for (int i = 0; i < 3; i++) {
            try (Socket client = Fixture.echoes(listener.localAddress(), "still here " + i)) {
                assertThat(first.slot.accepted()).isEqualTo(i + 1);
            }
        }
        stop(acceptor);
    }

    private LoopAcceptor start(Fixture fixture, boolean exclusive) throws InterruptedException {
        LoopAcceptor acceptor = new LoopAcceptor(new ListenerBinding("echo", listener, fixture.echo), fixture.context,
                fixture.loops.loops().get(0), exclusive);
        acceptor.start();
        // registration completes on the loop; a task queued after it runs once it has
        fixture.loops.loops().get(0).submit(() -> { }).await(WAIT.toMillis());
        fixture.loops.loops().get(0).submit(() -> { }).await(WAIT.toMillis());
        return acceptor;
    }

    private static void stop(Acceptor acceptor) throws InterruptedException {
        acceptor.stop();
        acceptor.join();
    }
}
