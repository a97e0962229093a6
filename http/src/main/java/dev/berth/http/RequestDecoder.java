package dev.berth.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.List;

/**
 * {@link HttpRequestDecoder} that knows whether it is inside a request: from the first byte it
 * consumes until it emits the request's {@link LastHttpContent}. The decoder keeps parsed header
 * lines in its own state, so neither its buffer nor the decoded objects tell this; draining needs
 * it to close idle connections at once without cutting a request short.
 *
 * <p>Thread: the channel's event loop, like every decoder.
 */
final class RequestDecoder extends HttpRequestDecoder {

    private boolean insideRequest;

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
        int readable = buffer.readableBytes();
        super.decode(ctx, buffer, out);
        if (buffer.readableBytes() != readable) {
            insideRequest = true;
        }
        if (!out.isEmpty() && out.getLast() instanceof LastHttpContent) {
            insideRequest = false;
        }
    }

    /** Whether bytes of a request have arrived whose last content has not been decoded yet. */
    boolean isInsideRequest() {
        return insideRequest;
    }
}
