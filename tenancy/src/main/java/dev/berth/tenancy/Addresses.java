package dev.berth.tenancy;

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
        if (address instanceof Inet4Address) {
            return address.getHostAddress();
        }
        byte[] b = address.getAddress();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = (b[2 * i] & 0xff) << 8 | b[2 * i + 1] & 0xff;
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = Math.max(i + 1, j);
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
            } else {
                if (!text.isEmpty() && text.charAt(text.length() - 1) != ':') {
                    text.append(':');
                }
                text.append(Integer.toHexString(groups[i]));
            }
        }
        return text.toString();
    }
}
