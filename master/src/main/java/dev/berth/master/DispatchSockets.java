package dev.berth.master;

import dev.berth.posix.SeqpacketServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The listening dispatch sockets of {@code accept: handoff} pools, one per pool and generation at
 * {@code run/dispatch-<pool>-<generation>.sock}. The master creates each (the run directory is not
 * writable by {@code master.user}), gives it to the workers' user, hands a copy to every dispatcher
 * of that pool and generation, and keeps its own: a worker that links while the dispatcher is being
 * replaced waits in the socket's backlog instead of being refused.
 *
 * <p>Owned by the supervisor thread. {@link #close} closes every socket and removes its file.
 */
final class DispatchSockets implements AutoCloseable {

    /** A pool and generation. */
    record Key(String pool, long generation) {
    }

    private final Path runDir;
    private final ChildUsers users;
    private final Map<Key, SeqpacketServer> held = new LinkedHashMap<>();

    /**
     * @param runDir where the socket files go
     * @param users the account each pool's children run as, when the master is root: a socket
     *     belongs to the user of the workers that link to it (a tenant group's lane to its user)
     */
    DispatchSockets(Path runDir, ChildUsers users) {
        this.runDir = runDir;
        this.users = users;
    }

    /** The socket file of a pool and generation (whether or not it exists yet). */
    Path path(String pool, long generation) {
        return runDir.resolve("dispatch-" + pool + "-" + generation + ".sock");
    }

    /**
     * The socket of a pool and generation, created (0600, owned by the children's user) on first use.
     *
     * @throws dev.berth.posix.PosixException or {@link UncheckedIOException} when it cannot be made
     */
    SeqpacketServer open(String pool, long generation) {
        Key key = new Key(pool, generation);
        SeqpacketServer server = held.get(key);
        if (server == null) {
            server = SeqpacketServer.listen(path(pool, generation), Listeners.ACCEPT_POLL);
            try {
                handOver(server.path(), users.of(pool));
            } catch (RuntimeException e) {
                server.close();
                throw e;
            }
            held.put(key, server);
        }
        return server;
    }

    private static void handOver(Path path, Optional<UnixUser> user) {
        if (user.isPresent()) {
            try {
                Files.setAttribute(path, "unix:uid", user.get().uid());
                Files.setAttribute(path, "unix:gid", user.get().gid());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot give " + path + " to " + user.get().name(), e);
            }
        }
    }

    /** Closes the sockets of every pool and generation not in {@code live}. */
    void retain(Set<Key> live) {
        for (Iterator<Map.Entry<Key, SeqpacketServer>> it = held.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Key, SeqpacketServer> entry = it.next();
            if (!live.contains(entry.getKey())) {
                entry.getValue().close();
                it.remove();
            }
        }
    }

    @Override
    public void close() {
        retain(Set.of());
    }
}
