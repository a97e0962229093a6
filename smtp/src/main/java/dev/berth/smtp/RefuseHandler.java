package dev.berth.smtp;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/** Greets with a refusal (421) and closes; input is dropped. Event loop only. */
final class RefuseHandler extends ChannelInboundHandlerAdapter {

    private final SmtpReply reply;

    RefuseHandler(SmtpReply reply) {
        this.reply = reply;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.writeAndFlush(reply).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg);
    }
}
