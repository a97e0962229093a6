package dev.berth.pop3;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Writes {@link Pop3Reply}s as CRLF lines (UTF-8). Multi-line replies are dot-stuffed and end
 * with {@code .CRLF}; of a {@link Pop3Reply.Content} only the status line is written here, the
 * body follows as bytes from {@link MessageStreamer}.
 *
 * <p>Stateless and sharable; runs on the channel's event loop.
 */
@ChannelHandler.Sharable
final class Pop3ReplyEncoder extends MessageToByteEncoder<Pop3Reply> {

    /** The one instance. */
    static final Pop3ReplyEncoder INSTANCE = new Pop3ReplyEncoder();

    private Pop3ReplyEncoder() {
        super(Pop3Reply.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Pop3Reply reply, ByteBuf out) {
        out.writeCharSequence(render(reply), StandardCharsets.UTF_8);
    }

    /** The reply as the client reads it (for a Content, its status line only). Pure. */
    static String render(Pop3Reply reply) {
        return switch (reply) {
            case Pop3Reply.Ok ok -> ok(ok.text());
            case Pop3Reply.Err err -> "-ERR " + err.code().prefix() + err.text() + "\r\n";
            case Pop3Reply.Challenge challenge -> "+ " + challenge.challenge() + "\r\n";
            case Pop3Reply.Content content -> ok(content.text());
            case Pop3Reply.Lines lines -> {
                StringBuilder text = new StringBuilder(ok(lines.text()));
                for (String line : lines.lines()) {
                    text.append(line.startsWith(".") ? "." : "").append(line).append("\r\n");
                }
                yield text.append(".\r\n").toString();
            }
        };
    }

    private static String ok(String text) {
        return text.isEmpty() ? "+OK\r\n" : "+OK " + text + "\r\n";
    }
}
