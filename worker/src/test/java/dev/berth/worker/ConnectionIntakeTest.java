package dev.berth.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.posix.FileDescriptors;
import dev.berth.posix.TcpListener;
import dev.berth.service.ServiceHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
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

    /**
     * A handed-off connection: the dispatcher still holds a descriptor of it (here a duplicate) when
     * the worker closes it, and the client still sees its end at once, not when the dispatcher
     * closes its copy.
     */
    @Test
    void aConnectionTakenAsHandedOffEndsForTheClientWhileAnotherDescriptorOfItIsOpen() throws Exception {
        CompletableFuture<Integer> copy = CompletableFuture.supplyAsync(() -> {
            int fd;
            do {
                fd = listener.accept();
            } while (fd < 0);
            int dispatchers = FileDescriptors.duplicate(fd);
            fixture.intake.count(1, 1);
            fixture.intake.takeCounted(fd, closesAfterReply());
            return dispatchers;
        });
        try (Socket client = new Socket(listener.localAddress().getAddress(), listener.localAddress().getPort())) {
            client.setSoTimeout(10_000);
            int dispatchers = copy.get(10, TimeUnit.SECONDS);
            try {
                client.getOutputStream().write('x');
                assertThat(client.getInputStream().read()).isEqualTo('x');
                assertThat(client.getInputStream().read()).as("the end, with the dispatcher's copy open").isEqualTo(-1);
            } finally {
                FileDescriptors.close(dispatchers);
            }
        }
        assertThat(awaitIdle(Duration.ofSeconds(10))).isTrue();
    }

    /** Echoes the first byte it reads, then closes the connection through its pipeline. */
    private static ServiceHandler closesAfterReply() {
        return channel -> channel.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ctx.writeAndFlush(msg).addListener(ChannelFutureListener.CLOSE);
            }
        });
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
