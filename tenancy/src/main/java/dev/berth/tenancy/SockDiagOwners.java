package dev.berth.tenancy;

import dev.berth.posix.PosixException;
import dev.berth.posix.SockDiag;
import dev.berth.posix.SocketOwner;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@link PeerOwners} by an exact NETLINK_SOCK_DIAG lookup of the peer socket (docs/adr/0013): its
 * owner's uid names the group whose {@code user} it is; when that uid is not one group's alone
 * (groups without users of their own share the workers' user) but one a group worker runs as
 * ({@link OwnerUids}), the socket's inode is looked for among the descriptors of berth's own group
 * workers, and only theirs: {@code /proc/PID/fd} of a few processes, never a scan of the whole
 * host. A peer of any other uid belongs to no group, without a look at any descriptor.
 *
 * <p>Not thread-safe: each classifying thread owns one (it holds a netlink socket). A lookup
 * blocks for the kernel's answer, at most {@value #TIMEOUT_MS} ms. {@link #close} releases it.
 */
public final class SockDiagOwners implements PeerOwners, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(SockDiagOwners.class.getName());
    static final long TIMEOUT_MS = 100;

    private final SockDiag diag;
    private final Supplier<OwnerUids> uids;
    private final Supplier<Map<Long, String>> workers;

    /**
     * @param uids what owner uids say, as they are now (the master may send new users at a reload)
     * @param workers the pids of berth's group workers now, with their groups; read only when a
     *     uid does not tell but is one a worker runs as
     */
    public SockDiagOwners(Supplier<OwnerUids> uids, Supplier<Map<Long, String>> workers) {
        this.diag = SockDiag.open(Duration.ofMillis(TIMEOUT_MS));
        this.uids = uids;
        this.workers = workers;
    }

    @Override
    public Optional<String> groupOf(InetSocketAddress local, InetSocketAddress peer) {
        Optional<SocketOwner> owner;
        try {
            owner = diag.owner(peer, local);
        } catch (PosixException e) {
            LOG.log(Level.WARNING, "sock_diag lookup of " + peer + " failed: " + e.getMessage());
            return Optional.empty();
        }
        if (owner.isEmpty()) {
            return Optional.empty();
        }
        OwnerUids now = uids.get();
        int uid = owner.get().uid();
        String group = now.groups().get(uid);
        if (group != null) {
            return Optional.of(group);
        }
        return now.workers().contains(uid) ? holder(owner.get().inode()) : Optional.empty();
    }

    /** The group of the berth worker that holds the socket inode, if one does. */
    private Optional<String> holder(long inode) {
        String wanted = "socket:[" + inode + "]";
        for (Map.Entry<Long, String> worker : workers.get().entrySet()) {
            if (holds(worker.getKey(), wanted)) {
                return Optional.of(worker.getValue());
            }
        }
        return Optional.empty();
    }

    private static boolean holds(long pid, String wanted) {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : fds) {
                try {
                    if (Files.readSymbolicLink(fd).toString().equals(wanted)) {
                        return true;
                    }
                } catch (IOException e) {
                    // closed while we looked
                }
            }
        } catch (IOException e) {
            // the worker exited, or is not ours to read
        }
        return false;
    }

    @Override
    public void close() {
        diag.close();
    }
}
