package dev.berth.smtp;

import java.math.BigInteger;
import java.net.InetAddress;
import java.util.Optional;

/**
 * An address block such as {@code 127.0.0.1/32} or {@code ::1/128} ({@code relay-networks:}).
 * A bare address is a block of one. IPv4-mapped IPv6 client addresses match IPv4 blocks.
 * Immutable.
 *
 * @param network the block's address, host bits cleared
 * @param prefix the prefix length
 */
record Cidr(InetAddress network, int prefix) {

    /** Parses a literal block; no name lookup. Empty when the text is not one. */
    static Optional<Cidr> parse(String text) {
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        InetAddress network;
        try {
            network = InetAddress.ofLiteral(address);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int bits = network.getAddress().length * 8;
        int prefix = bits;
        if (slash >= 0) {
            String p = text.substring(slash + 1);
            if (!p.matches("[0-9]{1,3}") || Integer.parseInt(p) > bits) {
                return Optional.empty();
            }
            prefix = Integer.parseInt(p);
        }
        return Optional.of(new Cidr(network, prefix));
    }

    /** Whether the address lies in the block. */
    boolean contains(InetAddress address) {
        byte[] a = unmapped(address.getAddress());
        byte[] n = network.getAddress();
        if (a.length != n.length) {
            return false;
        }
        int bits = n.length * 8;
        BigInteger mask = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE)
                .shiftRight(prefix).not();
        return new BigInteger(1, a).and(mask).equals(new BigInteger(1, n).and(mask));
    }

    private static byte[] unmapped(byte[] address) {
        if (address.length != 16) {
            return address;
        }
        for (int i = 0; i < 10; i++) {
            if (address[i] != 0) {
                return address;
            }
        }
        if (address[10] != (byte) 0xff || address[11] != (byte) 0xff) {
            return address;
        }
        return new byte[] {address[12], address[13], address[14], address[15]};
    }

    @Override
    public String toString() {
        return network.getHostAddress() + "/" + prefix;
    }
}
