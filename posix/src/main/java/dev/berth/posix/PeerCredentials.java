package dev.berth.posix;

/**
 * The process at the other end of a Unix socket, as the kernel recorded it when that process
 * connected (SO_PEERCRED): the connecting process cannot choose these values.
 *
 * @param pid its process id
 * @param uid its effective user id
 * @param gid its effective group id
 */
public record PeerCredentials(long pid, int uid, int gid) {
}
