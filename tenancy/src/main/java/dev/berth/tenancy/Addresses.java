package dev.berth.tenancy;

import dev.berth.config.IpLiteral;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/** Address facts the classification needs, without any lookup. Stateless. */
public final class Addresses {

    private static final byte[] MAPPED_PREFIX = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff};

    private Addresses() {
    }

    /**
     * The address a connection is classified by: an IPv4-mapped IPv6 address ({@code ::ffff:a.b.c.d},
     * what a dual-stack socket reports for an IPv4 peer) becomes its IPv4 address; others are
     * returned as they are, without their scope.
     */
    public static InetAddress normalize(InetAddress address) {
        if (address instanceof Inet6Address) {
            byte[] raw = address.getAddress();
            try {
                if (Arrays.equals(raw, 0, 12, MAPPED_PREFIX, 0, 12)) {
                    return InetAddress.getByAddress(Arrays.copyOfRange(raw, 12, 16));
                }
                return ((Inet6Address) address).getScopeId() == 0 ? address : InetAddress.getByAddress(raw);
            } catch (UnknownHostException e) {
                throw new IllegalStateException("a 4- or 16-byte address was refused", e);
            }
        }
        return address;
    }

    /** Whether the address is a loopback address: 127.0.0.0/8 or ::1. */
    public static boolean loopback(InetAddress address) {
        return address.isLoopbackAddress();
    }

    /** Whether both addresses are of one family (IPv4 or IPv6). */
    public static boolean sameFamily(InetAddress a, InetAddress b) {
        return (a instanceof Inet4Address) == (b instanceof Inet4Address);
    }

    /** The numeric text of an address: dotted quad, or RFC 5952 IPv6 text without brackets. */
    public static String text(InetAddress address) {
        return IpLiteral.text(address);
    }
}
