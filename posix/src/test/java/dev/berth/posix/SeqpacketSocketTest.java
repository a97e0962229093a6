package dev.berth.posix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
    void messagesSentBeforeThePeerClosedWithOursUnreadAreStillReceived() {
        try (SeqpacketServer server = SeqpacketServer.listen(dir.resolve("r.sock"), Duration.ofMillis(200))) {
            SeqpacketSocket client = SeqpacketSocket.connect(dir.resolve("r.sock"));
            try (SeqpacketSocket accepted = server.accept().orElseThrow()) {
                accepted.send(new byte[] {1});
                client.send(new byte[] {2});
                client.close();
                assertThat(accepted.receive()).hasValueSatisfying(p -> assertThat(p.payload()).containsExactly(2));
                assertThat(accepted.receive()).isEmpty();
            }
        }
    }

    @Test
    void shutdownWakesAReceiverAndEndsThePeersStream() throws Exception {
        try (SeqpacketServer server = SeqpacketServer.listen(dir.resolve("s.sock"), Duration.ofMillis(200));
             SeqpacketSocket client = SeqpacketSocket.connect(dir.resolve("s.sock"));
             SeqpacketSocket accepted = server.accept().orElseThrow()) {
            java.util.concurrent.CompletableFuture<Boolean> ended = java.util.concurrent.CompletableFuture
                    .supplyAsync(() -> client.receive().isEmpty());
            client.shutdown();
            assertThat(ended.get(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(accepted.receive()).isEmpty();
        }
    }

    @Test
    void adoptedServerAcceptsAndLeavesTheFileToItsCreator() {
        Path path = dir.resolve("a.sock");
        try (SeqpacketServer creator = SeqpacketServer.listen(path, Duration.ofMillis(200));
             SeqpacketServer carrier = SeqpacketServer.listen(dir.resolve("carrier.sock"), Duration.ofMillis(200));
             SeqpacketSocket sender = SeqpacketSocket.connect(dir.resolve("carrier.sock"));
             SeqpacketSocket receiver = carrier.accept().orElseThrow()) {
            sender.send(new byte[] {0}, creator.fd());
            SeqpacketServer adopted = SeqpacketServer.adopt(receiver.receive().orElseThrow().fds()[0], path);
            try (SeqpacketSocket client = SeqpacketSocket.connect(path);
                 SeqpacketSocket accepted = adopted.accept().orElseThrow()) {
                client.send(new byte[] {7});
                assertThat(accepted.receive()).hasValueSatisfying(p -> assertThat(p.payload()).containsExactly(7));
            }
            adopted.close();
            assertThat(path).exists();
        }
        assertThat(path).doesNotExist();
    }

    @Test
    void acceptTimesOutWhenNobodyConnects() {
        try (SeqpacketServer server = SeqpacketServer.listen(dir.resolve("t.sock"), Duration.ofMillis(50))) {
            assertThat(server.accept()).isEmpty();
        }
    }

    @Test
    void aMessageOfManyPacketsArrivesWholeWithItsDescriptors() throws Exception {
        byte[] big = new byte[3 * 1024 * 1024 + 7];
        new java.util.Random(7).nextBytes(big);
        try (SeqpacketServer server = SeqpacketServer.listen(dir.resolve("b.sock"), Duration.ofMillis(200));
             SeqpacketSocket client = SeqpacketSocket.connect(dir.resolve("b.sock"));
             SeqpacketSocket accepted = server.accept().orElseThrow();
             TcpListener listener = TcpListener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16, false)) {
            // the receiver queues only a few packets: the send completes while this thread reads
            java.util.concurrent.CompletableFuture<Void> sent = java.util.concurrent.CompletableFuture
                    .runAsync(() -> client.send(big, listener.fd()));
            Packet packet = accepted.receive().orElseThrow();
            sent.get(10, java.util.concurrent.TimeUnit.SECONDS);
            client.send(new byte[] {9});

            assertThat(packet.payload()).isEqualTo(big);
            assertThat(packet.fds()).hasSize(1);
            FileDescriptors.closeAll(packet.fds());
            assertThat(accepted.receive()).hasValueSatisfying(p -> assertThat(p.payload()).containsExactly(9));
        }
    }

    @Test
    void aMessageLongerThanTheReceiverAcceptsFailsAtItsFirstPacket() throws Exception {
        try (SeqpacketServer server = SeqpacketServer.listen(dir.resolve("l.sock"), Duration.ofMillis(200));
             SeqpacketSocket client = SeqpacketSocket.connect(dir.resolve("l.sock"));
             SeqpacketSocket accepted = server.accept().orElseThrow()) {
            java.util.concurrent.CompletableFuture.runAsync(() -> client.send(new byte[200_000]));

            assertThatThrownBy(() -> accepted.receive(1000)).isInstanceOf(PosixException.class)
                    .hasMessageContaining("longer than 1000 bytes");
        }
    }

    @Test
    void aSendToAReceiverThatDoesNotReadTimesOut() {
        try (SeqpacketServer server = SeqpacketServer.listen(dir.resolve("w.sock"), Duration.ofMillis(200));
             SeqpacketSocket client = SeqpacketSocket.connect(dir.resolve("w.sock"));
             SeqpacketSocket accepted = server.accept().orElseThrow()) {
            accepted.sendTimeout(Duration.ofMillis(200));

            assertThatThrownBy(() -> accepted.send(new byte[8 * 1024 * 1024])).isInstanceOf(PosixException.class)
                    .hasMessageContaining("errno 11");
        }
    }

    @Test
    void peerCredentialsNameThisProcess() {
        try (SeqpacketServer server = SeqpacketServer.listen(dir.resolve("p.sock"), Duration.ofMillis(200));
             SeqpacketSocket client = SeqpacketSocket.connect(dir.resolve("p.sock"));
             SeqpacketSocket accepted = server.accept().orElseThrow()) {
            assertThat(accepted.peer().pid()).isEqualTo(ProcessHandle.current().pid());
            assertThat(accepted.peer().uid()).isEqualTo(Processes.effectiveUid());
        }
    }

    @Test
    void closeWakesAnAcceptThatWaitsWithoutATimeout() throws Exception {
        SeqpacketServer server = SeqpacketServer.listen(dir.resolve("w.sock"), Duration.ZERO);
        java.util.concurrent.CompletableFuture<java.util.Optional<SeqpacketSocket>> accepting =
                java.util.concurrent.CompletableFuture.supplyAsync(server::accept);
        assertThat(accepting).isNotDone();
        server.close();
        assertThat(accepting.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEmpty();
    }
}
