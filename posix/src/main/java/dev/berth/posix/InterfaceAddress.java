package dev.berth.posix;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Objects;

/**
 * An address on a network interface.
 *
 * @param address the address
 * @param prefixLength the network prefix: 0 to 32 for IPv4, 0 to 128 for IPv6
 * @param ifindex the interface's index ({@link NetworkInterfaces#index})
 */
public record InterfaceAddress(InetAddress address, int prefixLength, int ifindex) {

    /** Checks the prefix against the family. */
    public InterfaceAddress {
        Objects.requireNonNull(address, "address");
        int max = address instanceof Inet4Address ? 32 : 128;
        if (prefixLength < 0 || prefixLength > max) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " is not 0 to " + max);
        }
        if (ifindex <= 0) {
            throw new IllegalArgumentException("interface index must be positive: " + ifindex);
        }
    }
}
