package dev.berth.posix;

/**
 * Who holds a TCP socket, as NETLINK_SOCK_DIAG reports it.
 *
 * @param uid the socket's owner: the effective uid of the process that created it (or, after
 *     {@code fchown}, the new owner); a socket passed to another process keeps its creator's uid
 * @param inode the socket's inode, as in {@code /proc/PID/fd/N -> socket:[inode]}
 * @param state the TCP state (1 established, 2 syn-sent, ...)
 */
public record SocketOwner(int uid, long inode, int state) {
}
