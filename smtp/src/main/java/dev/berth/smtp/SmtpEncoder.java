package dev.berth.smtp;

import dev.berth.scoreboard.CounterFamily;
import dev.berth.scoreboard.Counters;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link SmtpReply} to bytes, counting each reply by its code into the worker's counters
 * ({@code berth_smtp_replies_total}). One per service, sharable by its connections; runs on the
 * channels' event loops.
 */
@ChannelHandler.Sharable
final class SmtpEncoder extends MessageToByteEncoder<SmtpReply> {

    private final String service;
    private final Counters counters;
    private final ConcurrentHashMap<Integer, Counters.Counter> byCode = new ConcurrentHashMap<>();

    SmtpEncoder(String service, Counters counters) {
        super(SmtpReply.class);
        this.service = service;
        this.counters = counters;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, SmtpReply reply, ByteBuf out) {
        out.writeBytes(reply.encode());
        byCode.computeIfAbsent(reply.code(), code -> counters.counter(CounterFamily.SMTP_REPLIES, service,
                Integer.toString(code))).increment();
    }
}
