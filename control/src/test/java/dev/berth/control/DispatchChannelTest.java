package dev.berth.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.posix.SeqpacketServer;
import dev.berth.posix.SeqpacketSocket;
import dev.berth.posix.TcpListener;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DispatchChannelTest {

    @TempDir
    Path dir;

    @Test
    void everyMessageTypeSurvivesTheRoundTripAndAHandoffCarriesItsDescriptors() {
        Path path = dir.resolve("d.sock");
        try (SeqpacketServer server = SeqpacketServer.listen(path, Duration.ofMillis(200));
             DispatchChannel worker = DispatchChannel.connect(path);
             DispatchChannel dispatcher = new DispatchChannel(server.accept().orElseThrow());
             TcpListener a = TcpListener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1, false);
             TcpListener b = TcpListener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1, false)) {
            for (DispatchMessage m : List.of(new DispatchMessage.Hello(4, 12), new DispatchMessage.Credit(8),
                    new DispatchMessage.Ack(3), new DispatchMessage.Revoke())) {
                worker.send(m);
                assertThat(dispatcher.receive().orElseThrow().message()).isEqualTo(m);
            }
            DispatchMessage.Handoff handoff = new DispatchMessage.Handoff(3, List.of("echo", "http"));
            dispatcher.send(handoff, a.fd(), b.fd());
            DispatchChannel.Received received = worker.receive().orElseThrow();
            assertThat(received.message()).isEqualTo(handoff);
            assertThat(received.fds()).hasSize(2);
            try (TcpListener ca = TcpListener.adopt(received.fds()[0]); TcpListener cb = TcpListener.adopt(received.fds()[1])) {
                assertThat(ca.localAddress()).isEqualTo(a.localAddress());
                assertThat(cb.localAddress()).isEqualTo(b.localAddress());
            }
            assertThat(dispatcher.peerPid()).isEqualTo(ProcessHandle.current().pid());
        }
    }

    @Test
    void shutdownEndsTheLinkForBothEnds() {
        Path path = dir.resolve("s.sock");
        try (SeqpacketServer server = SeqpacketServer.listen(path, Duration.ofMillis(200));
             DispatchChannel worker = DispatchChannel.connect(path);
             DispatchChannel dispatcher = new DispatchChannel(server.accept().orElseThrow())) {
            worker.send(new DispatchMessage.Credit(1));
            worker.shutdown();
            assertThat(worker.receive()).isEmpty();
            assertThat(dispatcher.receive()).isPresent();
            assertThat(dispatcher.receive()).isEmpty();
            assertThatThrownBy(() -> worker.send(new DispatchMessage.Ack(1))).isInstanceOf(RuntimeException.class);
        }
    }

    @Test
    void somethingElseIsAControlException() {
        Path path = dir.resolve("m.sock");
        try (SeqpacketServer server = SeqpacketServer.listen(path, Duration.ofMillis(200));
             SeqpacketSocket raw = SeqpacketSocket.connect(path);
             DispatchChannel dispatcher = new DispatchChannel(server.accept().orElseThrow())) {
            raw.send("{\"type\":\"assignment\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertThatThrownBy(dispatcher::receive).isInstanceOf(ControlException.class);
        }
    }

    @Test
    void creditAndHandoffRefuseEmptyValues() {
        assertThatThrownBy(() -> new DispatchMessage.Credit(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DispatchMessage.Handoff(1, List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
