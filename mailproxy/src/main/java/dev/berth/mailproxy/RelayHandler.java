package dev.berth.mailproxy;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Objects;

/**
 * Copies what one leg reads to the other leg, byte for byte. Back-pressure: while the other leg is
 * not writable, this leg stops reading. When this leg closes, the other is flushed and closed:
 * nothing is ever added, so a client that vanishes without QUIT closes the upstream without QUIT
 * (no DELE is committed). Both legs share one event loop; never blocks.
 */
final class RelayHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = System.getLogger(RelayHandler.class.getName());

    private final Channel peer;

    /** @param peer the other leg, which this handler writes to and closes */
    RelayHandler(Channel peer) {
        this.peer = Objects.requireNonNull(peer, "peer");
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (!peer.isActive()) {
            ctx.close();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        peer.write(msg).addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
        if (!peer.isWritable()) {
            ctx.channel().config().setAutoRead(false);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        peer.flush();
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        // this leg can take more: let the peer read again
        if (ctx.channel().isWritable()) {
            peer.config().setAutoRead(true);
        } else {
            peer.config().setAutoRead(false);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closeOnFlush(peer);
        ctx.fireChannelInactive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            LOG.log(Level.DEBUG, () -> "idle, closing " + ctx.channel());
            ctx.close();
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(Level.DEBUG, () -> "relay " + ctx.channel() + ": " + cause);
        ctx.close();
    }

    /** Flushes what is queued on the channel, then closes it. */
    static void closeOnFlush(Channel channel) {
        if (channel.isActive()) {
            channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
