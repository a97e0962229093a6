package dev.berth.tenancy;

import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * Finds the tenant group of the local process at the other end of an accepted connection: the
 * owner of the peer socket, found with an exact NETLINK_SOCK_DIAG lookup ({@link SockDiagOwners}).
 * Called on a classifying thread, only for connections that come from this host.
 */
@FunctionalInterface
public interface PeerOwners {

    /** Nobody is known: for services and tests without a lookup. */
    PeerOwners NONE = (local, peer) -> Optional.empty();

    /**
     * The group of the process that opened the connection.
     *
     * @param local the accepted socket's own address (the peer socket's destination)
     * @param peer the accepted socket's peer (the peer socket's source)
     * @return the group, or empty when the peer socket is gone or its owner belongs to no group
     */
    Optional<String> groupOf(InetSocketAddress local, InetSocketAddress peer);
}
