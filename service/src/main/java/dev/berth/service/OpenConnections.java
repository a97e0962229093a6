package dev.berth.service;

import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.ImmediateEventExecutor;

/**
 * The open connections of one service in one worker, for a {@link ServiceHandler}'s
 * {@code onDrain} and {@code close}. Thread-safe: connections are added from their event loops,
 * drained from the worker's control thread, closed at exit. A connection leaves the set when it
 * closes.
 */
public final class OpenConnections {

    private final ChannelGroup channels = new DefaultChannelGroup(ImmediateEventExecutor.INSTANCE);
    private volatile boolean draining;

    /** Tracks a newly accepted connection until it closes. */
    public void add(Channel channel) {
        channels.add(channel);
    }

    /**
     * Marks the service draining and fires {@link DrainEvent#INSTANCE} into every open
     * connection's pipeline (each on its own event loop). Does not block.
     */
    public void drain() {
        draining = true;
        for (Channel channel : channels) {
            channel.pipeline().fireUserEventTriggered(DrainEvent.INSTANCE);
        }
    }

    /** Whether {@link #drain} was called: connections opened later should end at once too. */
    public boolean draining() {
        return draining;
    }

    /** How many connections are open now. */
    public int size() {
        return channels.size();
    }

    /** Closes every open connection without waiting. */
    public void close() {
        channels.close();
    }
}
