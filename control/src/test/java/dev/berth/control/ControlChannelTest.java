package dev.berth.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.posix.SeqpacketServer;
import dev.berth.posix.SeqpacketSocket;
import dev.berth.posix.TcpListener;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControlChannelTest {

    @TempDir
    Path dir;

    @Test
    void everyMessageTypeOfBothLinksSurvivesTheRoundTrip() {
        Path path = dir.resolve("w.sock");
        try (SeqpacketServer server = SeqpacketServer.listen(path, Duration.ofMillis(200));
             ControlChannel child = ControlChannel.connect(path);
             ControlChannel master = new ControlChannel(server.accept().orElseThrow())) {
            List<ControlMessage> messages = List.of(
                    new ControlMessage.Hello(3, 99),
                    new ControlMessage.Assignment("/etc/berth.yaml", "services: []", "web", 2, 7,
                            List.of(new ControlMessage.Listener("echo", "127.0.0.1:7000")), "/run/berth/dispatch-web-7.sock"),
                    new ControlMessage.Ready(),
                    new ControlMessage.Failed("http root /srv/site: not a directory"),
                    new ControlMessage.Drain(1500),
                    new ControlMessage.Credit(8),
                    new ControlMessage.Handoff(3, List.of("echo")),
                    new ControlMessage.Ack(3, 1),
                    new ControlMessage.Revoke());
            for (ControlMessage m : messages) {
                child.send(m);
                assertThat(master.receive().orElseThrow().message()).isEqualTo(m);
            }
            assertThat(master.peerPid()).isEqualTo(ProcessHandle.current().pid());
        }
    }

    @Test
    void aHandoffCarriesItsDescriptorsInOrder() {
        Path path = dir.resolve("d.sock");
        try (SeqpacketServer server = SeqpacketServer.listen(path, Duration.ofMillis(200));
             ControlChannel worker = ControlChannel.connect(path);
             ControlChannel dispatcher = new ControlChannel(server.accept().orElseThrow());
             TcpListener a = TcpListener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1, false);
             TcpListener b = TcpListener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1, false)) {
            ControlMessage.Handoff handoff = new ControlMessage.Handoff(3, List.of("echo", "http"));
            dispatcher.send(handoff, a.fd(), b.fd());
            ControlChannel.Received received = worker.receive().orElseThrow();
            assertThat(received.message()).isEqualTo(handoff);
            assertThat(received.fds()).hasSize(2);
            try (TcpListener ca = TcpListener.adopt(received.fds()[0]); TcpListener cb = TcpListener.adopt(received.fds()[1])) {
                assertThat(ca.localAddress()).isEqualTo(a.localAddress());
                assertThat(cb.localAddress()).isEqualTo(b.localAddress());
            }
        }
    }

    @Test
    void shutdownEndsTheLinkForBothEnds() {
        Path path = dir.resolve("s.sock");
        try (SeqpacketServer server = SeqpacketServer.listen(path, Duration.ofMillis(200));
             ControlChannel worker = ControlChannel.connect(path);
             ControlChannel dispatcher = new ControlChannel(server.accept().orElseThrow())) {
            worker.send(new ControlMessage.Credit(1));
            worker.shutdown();
            assertThat(worker.receive()).isEmpty();
            assertThat(dispatcher.receive()).isPresent();
            assertThat(dispatcher.receive()).isEmpty();
            assertThatThrownBy(() -> worker.send(new ControlMessage.Ack(1, 1))).isInstanceOf(RuntimeException.class);
        }
    }

    @Test
    void somethingElseIsAControlException() {
        Path path = dir.resolve("m.sock");
        try (SeqpacketServer server = SeqpacketServer.listen(path, Duration.ofMillis(200));
             SeqpacketSocket raw = SeqpacketSocket.connect(path);
             ControlChannel receiver = new ControlChannel(server.accept().orElseThrow())) {
            raw.send("{\"type\":\"nonsense\"}".getBytes(StandardCharsets.UTF_8));
            assertThatThrownBy(receiver::receive).isInstanceOf(ControlException.class);
            raw.send("{\"type\":\"assignment\"}".getBytes(StandardCharsets.UTF_8));
            assertThatThrownBy(receiver::receive).isInstanceOf(ControlException.class);
        }
    }

    @Test
    void creditAndHandoffRefuseEmptyValues() {
        assertThatThrownBy(() -> new ControlMessage.Credit(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ControlMessage.Handoff(1, List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    void anAssignmentWithAConfigOfMegabytesArrivesWhole() throws Exception {
        Path path = dir.resolve("big.sock");
        String config = "# " + "x".repeat(5 * 1024 * 1024) + "\nservices: []\n";
        ControlMessage.Assignment big = new ControlMessage.Assignment("/etc/berth.yaml", config, "web", 1, 1,
                List.of(), "");
        try (SeqpacketServer server = SeqpacketServer.listen(path, Duration.ofMillis(200));
             ControlChannel worker = ControlChannel.connect(path);
             ControlChannel master = new ControlChannel(server.accept().orElseThrow())) {
            CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> master.send(big));

            assertThat(worker.receive().orElseThrow().message()).isEqualTo(big);
            sent.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void failTellsTheMessageOnOneLine() {
        Path path = dir.resolve("f.sock");
        try (SeqpacketServer server = SeqpacketServer.listen(path, Duration.ofMillis(200));
             ControlChannel worker = ControlChannel.connect(path);
             ControlChannel master = new ControlChannel(server.accept().orElseThrow())) {
            worker.fail(new IllegalStateException("berth.yaml:3:5: bad\n  berth.yaml:9:1: worse"));

            assertThat(master.receive().orElseThrow().message())
                    .isEqualTo(new ControlMessage.Failed("berth.yaml:3:5: bad; berth.yaml:9:1: worse"));
        }
    }
}
