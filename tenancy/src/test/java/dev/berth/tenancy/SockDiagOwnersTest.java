package dev.berth.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.config.GroupConfig;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
        try (SockDiagOwners owners = new SockDiagOwners(Map.of(myUid(), "acme"), Map::of)) {
            assertThat(ownerOfAConnection(owners)).contains("acme");
        }
    }

    @Test
    void aPeerHeldByABerthWorkerOfAGroupBelongsToItsGroupWhenTheUidDoesNotTell() throws Exception {
        long me = ProcessHandle.current().pid();
        try (SockDiagOwners owners = new SockDiagOwners(Map.of(), () -> Map.of(me, "globex"))) {
            assertThat(ownerOfAConnection(owners)).contains("globex");
        }
    }

    @Test
    void aPeerOfNoGroupHasNoOwner() throws Exception {
        try (SockDiagOwners owners = new SockDiagOwners(Map.of(), Map::of)) {
            assertThat(ownerOfAConnection(owners)).isEmpty();
        }
    }

    @Test
    void aUidSharedByGroupsTellsNothing() {
        List<GroupConfig> groups = List.of(GroupConfig.of("a", List.of("10.0.0.1"), Optional.of("shared")),
                GroupConfig.of("b", List.of("10.0.0.2"), Optional.of("shared")),
                GroupConfig.of("c", List.of("10.0.0.3"), Optional.of("own")),
                GroupConfig.of("d", List.of("10.0.0.4"), Optional.empty()));

        assertThat(SockDiagOwners.uids(groups, user -> Optional.of(user.equals("own") ? 1001 : 1000)))
                .isEqualTo(Map.of(1001, "c"));
    }
}
