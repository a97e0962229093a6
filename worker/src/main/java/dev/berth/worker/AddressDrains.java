package dev.berth.worker;

import dev.berth.service.DrainEvent;
import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The open connections of a tenant group's worker, so that those that came to an address the
 * group loses ({@code berth addr del}) can be ended (DESIGN.md §7, docs/adr/0015): each hears its
 * protocol's goodbye at its next clean point ({@link DrainEvent}, as in a worker's drain) and is
 * closed when the drain time is over. Thread-safe: connections are added from the intake,
 * {@link #drain} runs on the worker's main thread, events on each connection's event loop.
 */
final class AddressDrains {

    private static final System.Logger LOG = System.getLogger(AddressDrains.class.getName());

    private final ChannelGroup open = new DefaultChannelGroup(ImmediateEventExecutor.INSTANCE);

    /** Tracks a connection until it closes. */
    void add(Channel channel) {
        open.add(channel);
    }

    /**
     * Ends the connections whose own address is {@code address}: the drain event now, a close
     * after {@code millis}.
     *
     * @return how many were told
     */
    int drain(InetAddress address, long millis) {
        int told = 0;
        for (Channel channel : open) {
            if (channel.localAddress() instanceof InetSocketAddress local && local.getAddress().equals(address)) {
                told++;
                channel.eventLoop().execute(() -> channel.pipeline().fireUserEventTriggered(DrainEvent.INSTANCE));
                channel.eventLoop().schedule(() -> {
                    channel.close();
                }, millis, TimeUnit.MILLISECONDS);
            }
        }
        LOG.log(Level.INFO, "address " + address.getHostAddress() + " left the group: " + told
                + " connections drain for " + millis + " ms");
        return told;
    }
}
