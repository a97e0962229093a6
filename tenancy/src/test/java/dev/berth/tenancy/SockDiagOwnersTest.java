package dev.berth.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The owner of a real loopback peer, by its uid or by the berth worker that holds it. */
class SockDiagOwnersTest {

    private static int myUid() throws Exception {
        return Integer.parseInt(Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(l -> l.startsWith("Uid:")).findFirst().orElseThrow().split("\\s+")[2]);
    }

    private static Optional<String> ownerOfAConnection(SockDiagOwners owners) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
             Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
             Socket accepted = server.accept()) {
            return owners.groupOf((InetSocketAddress) accepted.getLocalSocketAddress(),
                    (InetSocketAddress) accepted.getRemoteSocketAddress());
        }
    }

    @Test
    void aPeerOwnedByAGroupsUserBelongsToThatGroup() throws Exception {
        Map<Integer, String> byUid = Map.of(myUid(), "acme");
        try (SockDiagOwners owners = new SockDiagOwners(() -> byUid, Map::of)) {
            assertThat(ownerOfAConnection(owners)).contains("acme");
        }
    }

    @Test
    void aPeerHeldByABerthWorkerOfAGroupBelongsToItsGroupWhenTheUidDoesNotTell() throws Exception {
        long me = ProcessHandle.current().pid();
        try (SockDiagOwners owners = new SockDiagOwners(Map::of, () -> Map.of(me, "globex"))) {
            assertThat(ownerOfAConnection(owners)).contains("globex");
        }
    }

    @Test
    void aPeerOfNoGroupHasNoOwner() throws Exception {
        try (SockDiagOwners owners = new SockDiagOwners(Map::of, Map::of)) {
            assertThat(ownerOfAConnection(owners)).isEmpty();
        }
    }

    @Test
    void aUidSharedByGroupsTellsNothing() {
        assertThat(SockDiagOwners.uids(Map.of("a", 1000, "b", 1000, "c", 1001))).isEqualTo(Map.of(1001, "c"));
    }
}
