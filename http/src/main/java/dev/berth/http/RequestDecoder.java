package dev.berth.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.List;

/**
 * {@link HttpRequestDecoder} that knows whether it is inside a request, and that refuses a request
 * framed both by {@code Transfer-Encoding: chunked} and by {@code Content-Length} (Netty's default
 * drops the length and goes on; RFC 9112 §6.3 says such a request may be smuggling, and berth
 * answers 400 and closes).
 *
 * <p>Inside a request means: bytes of it have arrived (kept by the decoder as parsed header lines
 * or still unparsed in its buffer) and its {@link LastHttpContent} has not been emitted yet.
 * Neither the decoder's buffer nor the decoded objects alone tell this; draining needs it to close
 * idle connections at once without cutting a request short, and the header timeout to tell a
 * request under way from an idle connection.
 *
 * <p>Thread: the channel's event loop, like every decoder.
 */
final class RequestDecoder extends HttpRequestDecoder {

    private boolean insideRequest;

    /** A decoder with Netty's default limits whose requests count their Content-Length fields. */
    RequestDecoder() {
        super(new HttpDecoderConfig().setHeadersFactory(RequestHeaders.FACTORY));
    }

    /**
     * Decodes; one call ends at the latest with a request's last content (the decoder returns after
     * completing a message), so what is left in the buffer then belongs to the next request.
     */
    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
        int readable = buffer.readableBytes();
        int before = out.size();
        super.decode(ctx, buffer, out);
        boolean completed = false;
        for (int i = before; i < out.size(); i++) {
            completed |= out.get(i) instanceof LastHttpContent;
        }
        insideRequest = completed
                ? buffer.isReadable()
                : insideRequest || buffer.readableBytes() != readable || buffer.isReadable();
    }

    /**
     * Refuses the request: the decoder turns this into a failed message, which the connection
     * handler answers with 400 before it closes.
     */
    @Override
    protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
        throw new IllegalArgumentException("both Transfer-Encoding and Content-Length");
    }

    /** Whether bytes of a request have arrived whose last content has not been decoded yet. */
    boolean isInsideRequest() {
        return insideRequest;
    }
}
