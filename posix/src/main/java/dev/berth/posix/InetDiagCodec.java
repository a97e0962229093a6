package dev.berth.posix;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;

/**
 * NETLINK_SOCK_DIAG messages for one exact TCP socket lookup (no NLM_F_DUMP): the request names
 * the 4-tuple of the socket wanted, the reply carries its owner (uid) and inode. Pure and
 * stateless.
 *
 * <pre>
 * request: nlmsghdr(type 20 SOCK_DIAG_BY_FAMILY, flags REQUEST) + inet_diag_req_v2 (56):
 *    0 u8 family (2 | 10) | 1 u8 protocol (6) | 2 u8 ext (0) | 3 u8 pad | 4 u32 states (all)
 *    8 inet_diag_sockid (48):
 *        0 be16 sport | 2 be16 dport | 4 be32 src[4] | 20 be32 dst[4] | 36 u32 if | 40 u32 cookie[2]
 * reply:   nlmsghdr(type 20) + inet_diag_msg (72):
 *    0 u8 family | 1 u8 state | 2 u8 timer | 3 u8 retrans | 4 inet_diag_sockid (48)
 *   52 u32 expires | 56 u32 rqueue | 60 u32 wqueue | 64 u32 uid | 68 u32 inode  (+ attributes)
 *    or nlmsghdr(type 2 NLMSG_ERROR) with -ENOENT when no such socket exists
 * </pre>
 *
 * The kernel's exact lookup reads {@code src} and {@code sport} as the wanted socket's own
 * address, {@code dst} and {@code dport} as its peer's: to find the process at the other end of
 * an accepted connection, pass the accepted socket's peer as {@code local} and its own address
 * as {@code remote}.
 */
final class InetDiagCodec {

    static final short SOCK_DIAG_BY_FAMILY = 20;
    static final int REQUEST_LENGTH = NetlinkMessages.HEADER + 56;
    static final int ENOENT = 2;
    private static final int IPPROTO_TCP = 6;
    private static final int ALL_STATES = 0xffffffff;
    private static final int NO_COOKIE = 0xffffffff;

    private InetDiagCodec() {
    }

    /**
     * The request for the TCP socket bound to {@code local} and connected to {@code remote}.
     *
     * @throws IllegalArgumentException when the two addresses are of different families
     */
    static byte[] request(InetSocketAddress local, InetSocketAddress remote, int seq) {
        boolean v4 = local.getAddress() instanceof Inet4Address;
        if (v4 != remote.getAddress() instanceof Inet4Address) {
            throw new IllegalArgumentException("mixed families: " + local + " and " + remote);
        }
        ByteBuffer b = NetlinkMessages.start(56, SOCK_DIAG_BY_FAMILY, NetlinkMessages.NLM_F_REQUEST, seq);
        b.put((byte) (v4 ? Native.AF_INET : Native.AF_INET6)).put((byte) IPPROTO_TCP).put((byte) 0).put((byte) 0);
        b.putInt(ALL_STATES);
        b.order(ByteOrder.BIG_ENDIAN).putShort((short) local.getPort()).putShort((short) remote.getPort());
        b.put(padded(local.getAddress())).put(padded(remote.getAddress()));
        b.order(ByteOrder.nativeOrder()).putInt(0).putInt(NO_COOKIE).putInt(NO_COOKIE);
        return NetlinkMessages.finish(b);
    }

    /**
     * The owner in a reply to {@link #request}: empty when the kernel has no such socket
     * (ENOENT), or only a TIME_WAIT or orphaned one (uid 0 and inode 0: no process holds it).
     *
     * @throws PosixException when the kernel answered with another error
     * @throws IllegalArgumentException when the reply is not a sock_diag reply
     */
    static Optional<SocketOwner> owner(NetlinkMessages.Message reply) {
        if (reply.type() == NetlinkMessages.NLMSG_ERROR) {
            int errno = -reply.error();
            if (errno == ENOENT) {
                return Optional.empty();
            }
            throw new PosixException("sock_diag lookup", errno, Native.describe(errno));
        }
        if (reply.type() != SOCK_DIAG_BY_FAMILY || reply.payload().length < 72) {
            throw new IllegalArgumentException("not an inet_diag_msg: type " + reply.type() + ", "
                    + reply.payload().length + " bytes");
        }
        ByteBuffer b = reply.buffer();
        long uid = Integer.toUnsignedLong(b.getInt(64));
        long inode = Integer.toUnsignedLong(b.getInt(68));
        return uid == 0 && inode == 0 ? Optional.empty() : Optional.of(new SocketOwner((int) uid, inode, b.get(1)));
    }


    /** The address in the 16 bytes of the sockid: IPv4 in the first 4, the rest zero. */
    private static byte[] padded(InetAddress address) {
        byte[] out = new byte[16];
        byte[] raw = address.getAddress();
        System.arraycopy(raw, 0, out, 0, raw.length);
        return out;
    }

    /** Reads an address back from a sockid field (for tests and logs). */
    static InetAddress address(byte[] sixteen, boolean v4) {
        try {
            return InetAddress.getByAddress(v4 ? java.util.Arrays.copyOf(sixteen, 4) : sixteen);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
