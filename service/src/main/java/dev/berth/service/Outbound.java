package dev.berth.service;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * How a service's handlers open connections to other hosts (an SMTP next hop, a POP3 or IMAP
 * upstream): for a tenant group's instance, from the group's address of the target's family
 * (DESIGN.md §7, docs/adr/0015); otherwise wherever the kernel chooses. Every kind connects
 * through this, so where a connection leaves from is decided in one place.
 *
 * <p>Implementations are thread-safe.
 */
public interface Outbound {

    /** The kernel chooses the source address: services without tenant groups. */
    Outbound DIRECT = new DirectOutbound();

    /**
     * Connects a Netty client. Returns at once; callable from any thread, including the
     * bootstrap's event loop.
     *
     * @param bootstrap configured with group, channel type, options and handler; not changed
     * @param target a resolved address
     * @return completes with the connected channel, or fails: with {@link OutboundRefusedException}
     *     when the group may not connect without its address ({@code source-address: enforce}),
     *     else with the connect's own failure
     */
    Future<Channel> connect(Bootstrap bootstrap, InetSocketAddress target);

    /**
     * Opens a blocking connection, for clients written in blocking style on virtual threads.
     * Blocks the calling thread up to {@code connectTimeout}. TCP_NODELAY is on.
     *
     * @param target a resolved address
     * @param connectTimeout the longest the connect may take
     * @param readTimeout the longest a read (and a write) of the socket may wait
     * @throws OutboundRefusedException when the group may not connect without its address
     * @throws IOException when the connection cannot be made
     */
    OutboundSocket open(InetSocketAddress target, Duration connectTimeout, Duration readTimeout) throws IOException;
}
