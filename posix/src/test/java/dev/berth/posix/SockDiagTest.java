package dev.berth.posix;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Real lookups on loopback connections of this process. */
class SockDiagTest {

    @Test
    void theClientEndOfAnAcceptedLoopbackConnectionBelongsToThisProcess() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
             Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
             Socket accepted = server.accept();
             SockDiag diag = SockDiag.open(Duration.ofSeconds(1))) {
            InetSocketAddress local = (InetSocketAddress) accepted.getLocalSocketAddress();
            InetSocketAddress peer = (InetSocketAddress) accepted.getRemoteSocketAddress();

            Optional<SocketOwner> owner = diag.owner(peer, local);

            assertThat(owner).isPresent();
            assertThat(owner.get().uid()).isEqualTo(uid());
            assertThat(owner.get().state()).isEqualTo(1);
            assertThat(Files.list(Path.of("/proc/self/fd")).map(SockDiagTest::link))
                    .contains("socket:[" + owner.get().inode() + "]");
        }
    }

    @Test
    void aSocketThatDoesNotExistHasNoOwner() throws Exception {
        try (SockDiag diag = SockDiag.open(Duration.ofSeconds(1))) {
            assertThat(diag.owner(new InetSocketAddress(InetAddress.getLoopbackAddress(), 1),
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), 2))).isEmpty();
        }
    }

    @Test
    void ipv6LoopbackConnectionsAreFoundToo() throws Exception {
        InetAddress v6 = InetAddress.getByName("::1");
        try (ServerSocket server = new ServerSocket(0, 8, v6);
             Socket client = new Socket(v6, server.getLocalPort());
             Socket accepted = server.accept();
             SockDiag diag = SockDiag.open(Duration.ofSeconds(1))) {
            assertThat(diag.owner((InetSocketAddress) accepted.getRemoteSocketAddress(),
                    (InetSocketAddress) accepted.getLocalSocketAddress())).map(SocketOwner::uid).contains(uid());
        }
    }

    static int uid() throws Exception {
        return Integer.parseInt(Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(l -> l.startsWith("Uid:")).findFirst().orElseThrow().split("\\s+")[2]);
    }

    private static String link(Path fd) {
        try {
            return Files.readSymbolicLink(fd).toString();
        } catch (Exception e) {
            return "";
        }
    }
}
