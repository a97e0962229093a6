package dev.berth.service;

import io.netty.channel.Channel;

/**
 * Serves the connections of one service in one worker: the seed's "request interface". Created
 * by {@link ServiceKind#newHandler}, owned and closed by the worker.
 *
 * <p>Errors: an {@link Error} (OutOfMemoryError, StackOverflowError, AssertionError...) ends the
 * worker, which the master then replaces, because nothing in the process can be trusted after it.
 * A kind's Netty handler that handles {@code exceptionCaught} must therefore pass an Error on
 * ({@code ctx.fireExceptionCaught(cause)}, as {@code ChannelInboundHandlerAdapter} does by
 * default) to the worker's handler at the end of the pipeline; an Error thrown out of a thread the
 * kind started, virtual or not, ends the worker by itself. Exceptions are the kind's to handle.
 */
public interface ServiceHandler extends AutoCloseable {

    /**
     * Installs the kind's pipeline on a newly accepted connection. Called on the connection's event
     * loop thread before the first read; must not block. The channel is closed by the pipeline
     * (or by the worker at exit); the handler keeps no reference to it after it closes.
     *
     * @param channel an active, connected channel
     */
    void initChannel(Channel channel);

    /**
     * Tells the handler that the worker has stopped accepting and is draining: protocols with a
     * goodbye (HTTP {@code Connection: close}, SMTP 421) should end their connections at the next
     * clean point. Called once, from the worker's control thread; must not block.
     */
    default void onDrain() {
    }

    /** Releases what {@link ServiceKind#newHandler} acquired. Called once at worker exit. */
    @Override
    default void close() {
    }
}
