package dev.berth.dispatcher;

import dev.berth.posix.PosixException;
import dev.berth.posix.TcpListener;
import dev.berth.tenancy.PeerOwners;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * Accepting on one listener the master holds, for the {@link DispatchAgent}'s loop, which calls
 * {@link #acceptOne} when its epoll set finds the listener readable. The listener is made
 * non-blocking: only dispatchers accept on a handoff pool's or a grouped service's listener
 * (docs/adr/0035). A grouped service's connection is classified here ({@link LaneSorter}), so a
 * refused one never takes room in a queue (docs/adr/0013).
 *
 * <p>Owned by the dispatch thread. It never closes the connections it accepts: they belong to the
 * agent, or to the refusals.
 */
final class ConnectionAcceptor {

    private static final System.Logger LOG = System.getLogger(ConnectionAcceptor.class.getName());

    private final TcpListener listener;
    private final String service;
    private final LaneSorter sorter;
    private final Optional<InetSocketAddress> bound;

    /**
     * @param sorter puts each connection on its lane (classifies a grouped service's connections)
     */
    ConnectionAcceptor(TcpListener listener, String service, LaneSorter sorter) {
        this.listener = listener;
        this.service = service;
        this.sorter = sorter;
        this.bound = sorter.classifies(service)
                ? Optional.of(listener.localAddress()).filter(a -> !a.getAddress().isAnyLocalAddress())
                : Optional.empty();
        listener.blocking(false);
    }

    /** The listener's descriptor, for the epoll set. */
    int fd() {
        return listener.fd();
    }

    /** Whether this listener's connections are classified, and so need a lookup of peers' owners. */
    boolean classifies() {
        return sorter.classifies(service);
    }

    /**
     * Accepts one connection, if one is waiting.
     *
     * @param owners the dispatch thread's lookup of loopback peers' owners
     * @return the connection on its lane; empty when none was waiting, the accept failed (the
     *     connection stays in the kernel's queue) or the connection was refused
     */
    Accepted acceptOne(PeerOwners owners) {
        int fd;
        try {
            fd = listener.accept();
        } catch (PosixException e) {
            // EMFILE and friends: the connection stays queued in the kernel; the next wake-up retries
            LOG.log(Level.WARNING, "accept on " + service + " failed: " + e.getMessage());
            return Accepted.NONE;
        }
        if (fd < 0) {
            return Accepted.NONE;
        }
        Optional<String> lane = sorter.lane(fd, service, owners, bound);
        // refused in the protocol's terms: the refusals own it now and it never takes room
        return lane.map(l -> new Accepted(Optional.of(new Connection(fd, service, l)), true))
                .orElse(Accepted.REFUSED);
    }

    /**
     * What one accept gave.
     *
     * @param connection the connection to queue, if any
     * @param more whether another accept may find one waiting
     */
    record Accepted(Optional<Connection> connection, boolean more) {
        static final Accepted NONE = new Accepted(Optional.empty(), false);
        static final Accepted REFUSED = new Accepted(Optional.empty(), true);
    }
}
