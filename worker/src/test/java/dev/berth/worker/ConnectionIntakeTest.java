package dev.berth.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.posix.TcpListener;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The intake on real event loops: counting, and the drain's wait for the last connection. */
class ConnectionIntakeTest {

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
    void awaitIdleReturnsAtOnceWhenNothingIsOpen() throws Exception {
        assertThat(fixture.intake.awaitIdle(Duration.ofDays(1))).isTrue();
    }

    @Test
    void awaitIdleWakesWhenTheLastConnectionCloses() throws Exception {
        Socket client = take();
        CompletableFuture<Boolean> idle = CompletableFuture.supplyAsync(() -> awaitIdle(Duration.ofDays(1)));
        assertThat(idle).isNotDone();

        client.close();
        assertThat(idle.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(fixture.slot.active()).isZero();
    }

    @Test
    void awaitIdleGivesUpAtItsTimeoutWithTheConnectionStillOpen() throws Exception {
        try (Socket client = take()) {
            assertThat(fixture.intake.awaitIdle(Duration.ofMillis(30))).isFalse();
            assertThat(fixture.slot.active()).isEqualTo(1);
        }
    }

    /** A connection taken by the intake, served by echo. */
    private Socket take() {
        CompletableFuture<Void> accepted = CompletableFuture.runAsync(() -> {
            int fd;
            do {
                fd = listener.accept();
            } while (fd < 0);
            fixture.intake.take(fd, fixture.echo);
        });
        Socket client = Fixture.echoes(listener.localAddress(), "x");
        accepted.join();
        return client;
    }

    private boolean awaitIdle(Duration timeout) {
        try {
            return fixture.intake.awaitIdle(timeout);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
