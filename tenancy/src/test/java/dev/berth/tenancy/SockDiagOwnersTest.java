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
        OwnerUids uids = OwnerUids.of(Map.of("acme", myUid()), 0);
        try (SockDiagOwners owners = new SockDiagOwners(() -> uids, Map::of)) {
            assertThat(ownerOfAConnection(owners)).contains("acme");
        }
    }

    @Test
    void aPeerHeldByABerthWorkerOfAGroupBelongsToItsGroupWhenTheUidDoesNotTell() throws Exception {
        long me = ProcessHandle.current().pid();
        OwnerUids uids = OwnerUids.of(Map.of("acme", myUid(), "globex", myUid()), 0);
        try (SockDiagOwners owners = new SockDiagOwners(() -> uids, () -> Map.of(me, "globex"))) {
            assertThat(ownerOfAConnection(owners)).contains("globex");
        }
    }

    @Test
    void aPeerWhoseUidNoWorkerRunsAsIsNotLookedForAmongTheWorkers() throws Exception {
        long me = ProcessHandle.current().pid();
        OwnerUids uids = OwnerUids.of(Map.of("globex", myUid() + 1), myUid() + 2);
        try (SockDiagOwners owners = new SockDiagOwners(() -> uids, () -> Map.of(me, "globex"))) {
            assertThat(ownerOfAConnection(owners)).isEmpty();
        }
    }

    @Test
    void aPeerOfNoGroupHasNoOwner() throws Exception {
        try (SockDiagOwners owners = new SockDiagOwners(() -> OwnerUids.NONE, Map::of)) {
            assertThat(ownerOfAConnection(owners)).isEmpty();
        }
    }

    @Test
    void aUidSharedByGroupsTellsNothingButIsOneWorkersRunAs() {
        OwnerUids uids = OwnerUids.of(Map.of("a", 1000, "b", 1000, "c", 1001), 65534);
        assertThat(uids.groups()).isEqualTo(Map.of(1001, "c"));
        assertThat(uids.workers()).containsExactlyInAnyOrder(1000, 1001, 65534);
    }

    @Test
    void rootRunsNoGroupsWorker() {
        assertThat(OwnerUids.of(Map.of("a", 1000), 0).workers()).containsExactly(1000);
    }
}
