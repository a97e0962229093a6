package dev.berth.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.control.ControlChannel;
import dev.berth.control.ControlMessage;
import dev.berth.posix.FileDescriptors;
import dev.berth.posix.SeqpacketServer;
import dev.berth.posix.TcpListener;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The handoff acceptor linked to a dispatcher played by the test over a real dispatch socket. */
class HandoffAcceptorTest {

    private static final long TOKEN = 11;
    private static final int CREDIT = HandoffAcceptor.CREDIT_PER_THREAD * Fixture.THREADS;

    @TempDir
    Path dir;

    private Fixture fixture;
    private SeqpacketServer dispatchSocket;
    private TcpListener listener;
    private HandoffAcceptor acceptor;

    @BeforeEach
    void setUp() {
        fixture = new Fixture(dir);
        listener = Fixture.listener();
        Path path = dir.resolve("dispatch.sock");
        dispatchSocket = SeqpacketServer.listen(path, Duration.ofSeconds(10));
        acceptor = new HandoffAcceptor(new HandoffAcceptor.Source(path, Map.of("echo", fixture.echo), TOKEN,
                Fixture.THREADS), fixture.context, (io.netty.channel.IoEventLoop) fixture.loops.group().next(),
                Fixture.THREADS);
        acceptor.start();
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        acceptor.stop();
        acceptor.join();
        dispatchSocket.close();
        listener.close();
        fixture.close();
    }

    @Test
    void aLinkOpensWithHelloAndCreditThenEachBatchIsAckedWithItsCreditAndTaken() throws Exception {
        try (ControlChannel link = link();
             Socket a = new Socket(listener.localAddress().getAddress(), listener.localAddress().getPort());
             Socket b = new Socket(listener.localAddress().getAddress(), listener.localAddress().getPort())) {
            int[] fds = {accepted(), accepted()};
            link.send(new ControlMessage.Handoff(7, List.of("echo", "echo")), fds);
            FileDescriptors.closeAll(fds);

            assertThat(link.receive().orElseThrow().message()).isEqualTo(new ControlMessage.Ack(7, 2));
            Fixture.echo(a, "first");
            Fixture.echo(b, "second");
        }
    }

    @Test
    void aConnectionForAnUnknownServiceIsClosedAndTheRestServed() throws Exception {
        try (ControlChannel link = link();
             Socket client = new Socket(listener.localAddress().getAddress(), listener.localAddress().getPort())) {
            int fd = accepted();
            link.send(new ControlMessage.Handoff(1, List.of("nonesuch")), fd);
            FileDescriptors.close(fd);
            assertThat(link.receive().orElseThrow().message()).isEqualTo(new ControlMessage.Ack(1, 1));
            assertThat(client.getInputStream().read()).as("closed by the worker").isEqualTo(-1);
            assertThat(fixture.slot.accepted()).isZero();
        }
    }

    @Test
    void afterARevokeTheWorkerLinksAgain() throws Exception {
        try (ControlChannel first = link()) {
            first.send(new ControlMessage.Revoke());
            first.shutdown();
            try (ControlChannel second = link()) {
                assertThat(second.peerPid()).isEqualTo(ProcessHandle.current().pid());
            }
        }
    }

    /** Accepts the worker's link and checks its opening: Hello for its slot and token, then its credit. */
    private ControlChannel link() {
        ControlChannel link = new ControlChannel(dispatchSocket.accept().orElseThrow());
        assertThat(link.receive().map(ControlChannel.Received::message))
                .contains(new ControlMessage.Hello(fixture.slot.index(), TOKEN));
        assertThat(link.receive().map(ControlChannel.Received::message)).contains(new ControlMessage.Credit(CREDIT));
        return link;
    }

    private int accepted() {
        for (int i = 0; i < 100; i++) {
            int fd = listener.accept();
            if (fd >= 0) {
                return fd;
            }
        }
        throw new AssertionError("no connection to accept");
    }
}
