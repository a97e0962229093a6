package dev.berth.mailproxy;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Objects;

/**
 * The client's address as passed upstream (POP3 {@code XCLIENT ADDR= PORT=}, IMAP {@code ID}).
 *
 * @param ip the textual IP address, IPv6 without brackets
 * @param port the client's port
 */
record ClientAddress(String ip, int port) {

    /** Checks the arguments. */
    ClientAddress {
        Objects.requireNonNull(ip, "ip");
    }

    /** The address of a channel's remote end; {@code 0.0.0.0:0} when it is not an IP socket. */
    static ClientAddress of(SocketAddress remote) {
        if (remote instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return new ClientAddress(inet.getAddress().getHostAddress(), inet.getPort());
        }
        return new ClientAddress("0.0.0.0", 0);
    }
}
