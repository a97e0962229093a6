package dev.berth.posix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The netlink codecs on bytes, without sockets: what the kernel is sent and how its replies read. */
class NetlinkCodecTest {

    private static final HexFormat HEX = HexFormat.of();

    private static InetSocketAddress at(String host, int port) throws Exception {
        return new InetSocketAddress(InetAddress.getByName(host), port);
    }

    @Test
    void anExactSockDiagRequestNamesTheSocketsOwnEndAsSourceWithoutDump() throws Exception {
        byte[] request = InetDiagCodec.request(at("127.0.0.1", 40000), at("127.0.0.2", 2525), 7);

        assertThat(request).hasSize(72);
        assertThat(HEX.formatHex(request)).isEqualTo(
                "48000000" + "1400" + "0100" + "07000000" + "00000000"      // len 72, type 20, REQUEST only, seq 7, pid 0
                + "02" + "06" + "00" + "00" + "ffffffff"                    // AF_INET, TCP, no ext, every state
                + "9c40" + "09dd"                                           // sport 40000, dport 2525, big-endian
                + "7f000001" + "000000000000000000000000"                   // src 127.0.0.1
                + "7f000002" + "000000000000000000000000"                   // dst 127.0.0.2
                + "00000000" + "ffffffff" + "ffffffff");                    // any interface, no cookie
    }

    @Test
    void anIpv6RequestCarriesSixteenByteAddresses() throws Exception {
        byte[] request = InetDiagCodec.request(at("::1", 1), at("2001:db8::5", 2), 1);

        assertThat(request[16]).isEqualTo((byte) 10);
        assertThat(HEX.formatHex(request, 28, 44)).isEqualTo("00000000000000000000000000000001");
        assertThat(HEX.formatHex(request, 44, 60)).isEqualTo("20010db8000000000000000000000005");
    }

    @Test
    void mixedFamiliesAreRefused() {
        assertThatThrownBy(() -> InetDiagCodec.request(at("127.0.0.1", 1), at("::1", 2), 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aReplyGivesTheOwnersUidAndInode() {
        ByteBuffer msg = payload(72);
        msg.put(0, (byte) 2).put(1, (byte) 1);
        msg.putInt(64, 1234).putInt(68, 987654);
        NetlinkMessages.Message reply = only(message(InetDiagCodec.SOCK_DIAG_BY_FAMILY, 0, 3, msg.array()));

        assertThat(InetDiagCodec.owner(reply)).contains(new SocketOwner(1234, 987654, 1));
    }

    @Test
    void noSuchSocketAndATimeWaitSocketHaveNoOwner() {
        ByteBuffer error = payload(20);
        error.putInt(0, -InetDiagCodec.ENOENT);
        assertThat(InetDiagCodec.owner(only(message(NetlinkMessages.NLMSG_ERROR, 0, 3, error.array())))).isEmpty();

        ByteBuffer timeWait = payload(72);
        timeWait.put(1, (byte) 6);
        assertThat(InetDiagCodec.owner(only(message(InetDiagCodec.SOCK_DIAG_BY_FAMILY, 0, 3, timeWait.array()))))
                .isEmpty();
    }

    @Test
    void anotherKernelErrorIsAnException() {
        ByteBuffer error = payload(20);
        error.putInt(0, -1);
        assertThatThrownBy(() -> InetDiagCodec.owner(only(message(NetlinkMessages.NLMSG_ERROR, 0, 3, error.array()))))
                .isInstanceOf(PosixException.class).hasMessageContaining("errno 1");
    }

    @Test
    void addingAnAddressAsksForAnAckAndRefusesToReplace() throws Exception {
        byte[] request = IfAddrCodec.add(new InterfaceAddress(InetAddress.getByName("10.77.0.9"), 24, 3), 5);

        assertThat(HEX.formatHex(request)).isEqualTo(
                "28000000" + "1400" + "0506" + "05000000" + "00000000"     // len 40, RTM_NEWADDR, REQUEST|ACK|EXCL|CREATE
                + "02" + "18" + "00" + "00" + "03000000"                   // AF_INET /24, no flags, universe, ifindex 3
                + "0800" + "0200" + "0a4d0009"                             // IFA_LOCAL
                + "0800" + "0100" + "0a4d0009");                           // IFA_ADDRESS
    }

    @Test
    void ipv6AddressesAreAddedWithoutDuplicateDetectionAndLoopbackOnesWithHostScope() throws Exception {
        byte[] v6 = IfAddrCodec.add(new InterfaceAddress(InetAddress.getByName("2001:db8::1"), 64, 2), 1);
        assertThat(v6[16]).isEqualTo((byte) 10);
        assertThat(v6[17]).isEqualTo((byte) 64);
        assertThat(v6[18]).isEqualTo((byte) 0x02);
        assertThat(v6).hasSize(16 + 8 + 20 + 20);

        byte[] loopback = IfAddrCodec.add(new InterfaceAddress(InetAddress.getByName("127.0.0.2"), 8, 1), 1);
        assertThat(loopback[19]).isEqualTo((byte) 254);
    }

    @Test
    void removingAnAddressKeepsItsPrefixAndInterface() throws Exception {
        byte[] request = IfAddrCodec.remove(new InterfaceAddress(InetAddress.getByName("10.77.0.9"), 32, 7), 2);

        assertThat(HEX.formatHex(request, 0, 20)).isEqualTo("28000000" + "1500" + "0500" + "02000000" + "00000000"
                + "02" + "20" + "00" + "00");
        assertThat(ByteBuffer.wrap(request).order(ByteOrder.nativeOrder()).getInt(20)).isEqualTo(7);
    }

    @Test
    void aListingIsADumpOfEveryFamily() {
        assertThat(HEX.formatHex(IfAddrCodec.list(9))).isEqualTo(
                "18000000" + "1600" + "0103" + "09000000" + "00000000" + "0000000000000000");
    }

    @Test
    void aListingsRepliesReadAsAddressesWithPrefixAndInterface() throws Exception {
        byte[] lo = newAddr(2, 8, 1, InetAddress.getByName("127.0.0.1").getAddress());
        byte[] v6 = newAddr(10, 64, 4, InetAddress.getByName("2001:db8::7").getAddress());
        byte[] datagram = concat(message(IfAddrCodec.RTM_NEWADDR, 2, 1, lo), message(IfAddrCodec.RTM_NEWADDR, 2, 1, v6),
                message(NetlinkMessages.NLMSG_DONE, 2, 1, new byte[4]));

        List<NetlinkMessages.Message> messages = NetlinkMessages.split(datagram, datagram.length);

        assertThat(messages).extracting(NetlinkMessages.Message::type).containsExactly((short) 20, (short) 20, (short) 3);
        assertThat(IfAddrCodec.addresses(messages)).containsExactly(
                new InterfaceAddress(InetAddress.getByName("127.0.0.1"), 8, 1),
                new InterfaceAddress(InetAddress.getByName("2001:db8::7"), 64, 4));
    }

    @Test
    void aTruncatedMessageIsRefused() {
        byte[] datagram = message(IfAddrCodec.RTM_NEWADDR, 0, 1, new byte[8]);
        assertThatThrownBy(() -> NetlinkMessages.split(datagram, datagram.length - 4))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static byte[] newAddr(int family, int prefix, int index, byte[] address) {
        ByteBuffer b = ByteBuffer.allocate(8 + NetlinkMessages.attributeSpace(address.length) + 8).order(ByteOrder.nativeOrder());
        b.put((byte) family).put((byte) prefix).put((byte) 0).put((byte) 0).putInt(index);
        NetlinkMessages.attribute(b, (short) 3, "lo\0\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        NetlinkMessages.attribute(b, (short) 2, address);
        return java.util.Arrays.copyOf(b.array(), b.position());
    }

    private static ByteBuffer payload(int length) {
        return ByteBuffer.allocate(length).order(ByteOrder.nativeOrder());
    }

    private static byte[] message(short type, int flags, int seq, byte[] payload) {
        ByteBuffer b = NetlinkMessages.start(payload.length, type, (short) flags, seq);
        b.put(payload);
        return NetlinkMessages.finish(b);
    }

    private static NetlinkMessages.Message only(byte[] datagram) {
        return NetlinkMessages.split(datagram, datagram.length).getFirst();
    }

    private static byte[] concat(byte[]... parts) {
        ByteBuffer all = ByteBuffer.allocate(java.util.Arrays.stream(parts).mapToInt(p -> p.length).sum());
        for (byte[] p : parts) {
            all.put(p);
        }
        return all.array();
    }
}
