package dev.berth.posix;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * NETLINK_ROUTE messages that add, remove and list interface addresses, as {@code ip addr} sends
 * them. Pure and stateless.
 *
 * <pre>
 * nlmsghdr(type 20 RTM_NEWADDR | 21 RTM_DELADDR | 22 RTM_GETADDR) + ifaddrmsg (8):
 *    0 u8 family | 1 u8 prefixlen | 2 u8 flags | 3 u8 scope | 4 u32 ifindex
 *  + rtattr IFA_LOCAL (2) address, rtattr IFA_ADDRESS (1) address   (add and remove)
 * add:    flags REQUEST | ACK | CREATE | EXCL; IPv6 with IFA_F_NODAD, usable at once
 * remove: flags REQUEST | ACK; prefixlen and ifindex as listed
 * list:   RTM_GETADDR with flags REQUEST | DUMP, family 0; replies RTM_NEWADDR per address, then NLMSG_DONE
 * </pre>
 */
final class IfAddrCodec {

    static final short RTM_NEWADDR = 20;
    static final short RTM_DELADDR = 21;
    static final short RTM_GETADDR = 22;
    private static final short IFA_ADDRESS = 1;
    private static final short IFA_LOCAL = 2;
    private static final byte IFA_F_NODAD = 0x02;
    private static final byte RT_SCOPE_UNIVERSE = 0;
    private static final byte RT_SCOPE_HOST = (byte) 254;

    private IfAddrCodec() {
    }

    /** The request that adds {@code address/prefix} to the interface {@code ifindex}; fails if present. */
    static byte[] add(InterfaceAddress address, int seq) {
        return change(RTM_NEWADDR, (short) (NetlinkMessages.NLM_F_REQUEST | NetlinkMessages.NLM_F_ACK
                | NetlinkMessages.NLM_F_CREATE | NetlinkMessages.NLM_F_EXCL), address, seq);
    }

    /** The request that removes {@code address} (with the prefix and interface it has). */
    static byte[] remove(InterfaceAddress address, int seq) {
        return change(RTM_DELADDR, (short) (NetlinkMessages.NLM_F_REQUEST | NetlinkMessages.NLM_F_ACK), address, seq);
    }

    /** The request that lists every address of every interface. */
    static byte[] list(int seq) {
        ByteBuffer b = NetlinkMessages.start(8, RTM_GETADDR,
                (short) (NetlinkMessages.NLM_F_REQUEST | NetlinkMessages.NLM_F_DUMP), seq);
        b.put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 0).putInt(0);
        return NetlinkMessages.finish(b);
    }

    private static byte[] change(short type, short flags, InterfaceAddress a, int seq) {
        byte[] raw = a.address().getAddress();
        boolean v4 = a.address() instanceof Inet4Address;
        ByteBuffer b = NetlinkMessages.start(8 + 2 * NetlinkMessages.attributeSpace(raw.length), type, flags, seq);
        b.put((byte) (v4 ? Native.AF_INET : Native.AF_INET6)).put((byte) a.prefixLength());
        b.put(v4 || type != RTM_NEWADDR ? 0 : IFA_F_NODAD);
        b.put(a.address().isLoopbackAddress() ? RT_SCOPE_HOST : RT_SCOPE_UNIVERSE).putInt(a.ifindex());
        NetlinkMessages.attribute(b, IFA_LOCAL, raw);
        NetlinkMessages.attribute(b, IFA_ADDRESS, raw);
        return NetlinkMessages.finish(b);
    }

    /** The addresses in the RTM_NEWADDR messages of a listing; other messages are skipped. */
    static List<InterfaceAddress> addresses(List<NetlinkMessages.Message> replies) {
        List<InterfaceAddress> found = new ArrayList<>();
        for (NetlinkMessages.Message m : replies) {
            if (m.type() != RTM_NEWADDR || m.payload().length < 8) {
                continue;
            }
            ByteBuffer b = m.buffer();
            Map<Integer, byte[]> attributes = NetlinkMessages.attributes(m.payload(), 8);
            byte[] raw = attributes.getOrDefault((int) IFA_LOCAL, attributes.get((int) IFA_ADDRESS));
            if (raw == null || raw.length != 4 && raw.length != 16) {
                continue;
            }
            try {
                found.add(new InterfaceAddress(InetAddress.getByAddress(raw), Byte.toUnsignedInt(b.get(1)), b.getInt(4)));
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }
        return found;
    }
}
