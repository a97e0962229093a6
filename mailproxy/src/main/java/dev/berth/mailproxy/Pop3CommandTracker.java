package dev.berth.mailproxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * On the client leg of a scanning POP3 session: records each command in the {@link Pop3Exchange}
 * and passes the bytes on unchanged. Client event loop; never blocks.
 */
final class Pop3CommandTracker extends ChannelInboundHandlerAdapter {

    private final Pop3Exchange exchange;

    Pop3CommandTracker(Pop3Exchange exchange) {
        this.exchange = exchange;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf buf) {
            exchange.observeClient(buf);
        }
        ctx.fireChannelRead(msg);
    }
}
