package dev.berth.posix;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeqpacketSocketTest {

    @TempDir
    Path dir;

    @Test
    void messageCarriesBytesAndAListeningSocket() throws Exception {
        try (SeqpacketServer server = SeqpacketServer.listen(dir.resolve("c.sock"), Duration.ofMillis(200));
             SeqpacketSocket client = SeqpacketSocket.connect(dir.resolve("c.sock"));
             SeqpacketSocket accepted = server.accept().orElseThrow();
             TcpListener listener = TcpListener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16, false)) {
            client.send("hello".getBytes(StandardCharsets.UTF_8), listener.fd());
            Packet packet = accepted.receive().orElseThrow();
            assertThat(new String(packet.payload(), StandardCharsets.UTF_8)).isEqualTo("hello");
            assertThat(packet.fds()).hasSize(1);
            try (TcpListener copy = TcpListener.adopt(packet.fds()[0])) {
                assertThat(copy.localAddress()).isEqualTo(listener.localAddress());
                copy.acceptTimeout(Duration.ofMillis(500));
                try (Socket s = new Socket(InetAddress.getLoopbackAddress(), listener.localAddress().getPort())) {
                    int conn = copy.accept();
                    assertThat(conn).isGreaterThanOrEqualTo(0);
                    FileDescriptors.close(conn);
                }
            }
            assertThat(accepted.peerPid()).isEqualTo(ProcessHandle.current().pid());
        }
    }

    @Test
    void receiveSeesTheEndWhenThePeerCloses() {
        try (SeqpacketServer server = SeqpacketServer.listen(dir.resolve("e.sock"), Duration.ofMillis(200))) {
            SeqpacketSocket client = SeqpacketSocket.connect(dir.resolve("e.sock"));
            try (SeqpacketSocket accepted = server.accept().orElseThrow()) {
                client.close();
                assertThat(accepted.receive()).isEmpty();
            }
        }
    }

    @Test
    void acceptTimesOutWhenNobodyConnects() {
        try (SeqpacketServer server = SeqpacketServer.listen(dir.resolve("t.sock"), Duration.ofMillis(50))) {
            assertThat(server.accept()).isEmpty();
        }
    }
}
