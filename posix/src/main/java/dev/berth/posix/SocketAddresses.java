package dev.berth.posix;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * Encodes and decodes {@code struct sockaddr_in}, {@code sockaddr_in6} and {@code sockaddr_un}.
 *
 * <pre>
 * sockaddr_in  (16): family u16 | port u16 BE | addr[4]  | zero[8]
 * sockaddr_in6 (28): family u16 | port u16 BE | flow u32 | addr[16] | scope u32
 * sockaddr_un (110): family u16 | path[108], NUL-terminated
 * </pre>
 */
final class SocketAddresses {

    static final int STORAGE = 128;
    private static final int UNIX_PATH_MAX = 108;
    /** One instance: a layout made per call costs a var-handle cache lookup that allocates (JFR). */
    private static final ValueLayout.OfShort PORT = JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN);

    private SocketAddresses() {
    }

    static MemorySegment inet(Arena arena, InetSocketAddress address) {
        InetAddress ip = address.getAddress();
        if (ip instanceof Inet4Address) {
            MemorySegment s = arena.allocate(16);
            s.set(JAVA_SHORT, 0, (short) Native.AF_INET);
            s.set(PORT, 2, (short) address.getPort());
            MemorySegment.copy(ip.getAddress(), 0, s, JAVA_BYTE, 4, 4);
            return s;
        }
        if (ip instanceof Inet6Address v6) {
            MemorySegment s = arena.allocate(28);
            s.set(JAVA_SHORT, 0, (short) Native.AF_INET6);
            s.set(PORT, 2, (short) address.getPort());
            MemorySegment.copy(ip.getAddress(), 0, s, JAVA_BYTE, 8, 16);
            s.set(JAVA_INT, 24, v6.getScopeId());
            return s;
        }
        throw new IllegalArgumentException("not a resolved IP address: " + address);
    }

    static MemorySegment unix(Arena arena, Path path) {
        byte[] bytes = path.toString().getBytes(StandardCharsets.UTF_8);
        if (bytes.length >= UNIX_PATH_MAX) {
            throw new IllegalArgumentException("Unix socket path longer than 107 bytes: " + path);
        }
        MemorySegment s = arena.allocate(2 + UNIX_PATH_MAX);
        s.set(JAVA_SHORT, 0, (short) Native.AF_UNIX);
        MemorySegment.copy(bytes, 0, s, JAVA_BYTE, 2, bytes.length);
        return s;
    }

    /** Decodes an IPv4 or IPv6 address that the kernel wrote into {@code s}. */
    static InetSocketAddress decode(MemorySegment s) {
        int family = s.get(JAVA_SHORT, 0);
        int port = Short.toUnsignedInt(s.get(PORT, 2));
        byte[] raw = new byte[family == Native.AF_INET ? 4 : 16];
        MemorySegment.copy(s, JAVA_BYTE, family == Native.AF_INET ? 4 : 8, raw, 0, raw.length);
        try {
            return new InetSocketAddress(InetAddress.getByAddress(raw), port);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("kernel returned a malformed address", e);
        }
    }
}
