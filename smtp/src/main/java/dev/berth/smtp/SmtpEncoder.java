package dev.berth.smtp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/** {@link SmtpReply} to bytes. Stateless and sharable; runs on the channel's event loop. */
@ChannelHandler.Sharable
final class SmtpEncoder extends MessageToByteEncoder<SmtpReply> {

    static final SmtpEncoder INSTANCE = new SmtpEncoder();

    private SmtpEncoder() {
        super(SmtpReply.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, SmtpReply reply, ByteBuf out) {
        out.writeBytes(reply.encode());
    }
}
