package dev.berth.http;

import dev.berth.service.DrainEvent;
import io.netty.buffer.Unpooled;
import dev.berth.service.DrainEvent;
import io.netty.channel.ChannelFutureListener;
import dev.berth.service.DrainEvent;
import io.netty.channel.ChannelHandlerContext;
import dev.berth.service.DrainEvent;
import io.netty.channel.ChannelInboundHandlerAdapter;
import dev.berth.service.DrainEvent;
import io.netty.handler.codec.DecoderResult;
import dev.berth.service.DrainEvent;
import io.netty.handler.codec.http.HttpMethod;
import dev.berth.service.DrainEvent;
import io.netty.handler.codec.http.HttpObject;
import dev.berth.service.DrainEvent;
import io.netty.handler.codec.http.HttpRequest;
import dev.berth.service.DrainEvent;
import io.netty.handler.codec.http.HttpResponseStatus;
import dev.berth.service.DrainEvent;
import io.netty.handler.codec.http.HttpUtil;
import dev.berth.service.DrainEvent;
import io.netty.handler.codec.http.LastHttpContent;
import dev.berth.service.DrainEvent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import dev.berth.service.DrainEvent;
import io.netty.handler.codec.http.TooLongHttpLineException;
import dev.berth.service.DrainEvent;
import io.netty.handler.timeout.IdleStateEvent;
import dev.berth.service.DrainEvent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP/1.x connection, after {@code HttpRequestDecoder}: answers each request when its last
 * content has arrived (bodies are discarded), in arrival order, so pipelined requests are answered
 * in order; writes as they come and flushes once per read batch.
 *
 * <pre>
 *            HttpRequest            LastHttpContent: respond
 *   IDLE ─────────────────► READING ───────────────────────► IDLE   (keep-alive)
 *    │                         │                      └────► CLOSING (connection: close, then close)
 *    │ drain, idle timeout     │ idle timeout, decoder failure (400/414/431 then close)
 *    │                         │ (READING begins with the request's first byte, see RequestDecoder)
 *    ▼                         ▼
 *   CLOSING ◄──────────────────┘     everything read while CLOSING is dropped
 * </pre>
 *
 * <p>A response says {@code connection: close} when the client asked for it (or sent HTTP/1.0
 * without keep-alive), when the connection reached {@code max-requests-per-connection}, or when
 * the service is draining. Thread: every method runs on the channel's event loop; the handler is
 * not shared. Back-pressure: reading stops while the channel is not writable.
 */
final class HttpConnectionHandler extends ChannelInboundHandlerAdapter {

    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final HttpServiceHandler service;
    private final RequestDecoder decoder;
    private final LoopCache cache;
    private HttpRequest current;
    private int served;
    private boolean closing;
    private boolean flushNeeded;

    /**
     * @param service the service: settings, responder, counter, draining flag
     * @param decoder the decoder in front of this handler, asked whether a request is under way
     * @param cache the event loop's date and prebuilt responses
     */
    HttpConnectionHandler(HttpServiceHandler service, RequestDecoder decoder, LoopCache cache) {
        this.service = service;
        this.decoder = decoder;
        this.cache = cache;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (!closing && msg instanceof HttpObject object) {
                onHttpObject(ctx, object);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onHttpObject(ChannelHandlerContext ctx, HttpObject object) {
        DecoderResult result = object.decoderResult();
        if (result.isFailure()) {
            rejectUnreadable(ctx, result.cause());
            return;
        }
        if (object instanceof HttpRequest request) {
            current = request;
            if (HttpUtil.is100ContinueExpected(request)) {
                onExpectContinue(ctx, request);
            }
        }
        if (object instanceof LastHttpContent && current != null) {
            HttpRequest request = current;
            current = null;
            respond(ctx, request, persistence(request));
        }
    }

    /** A body is coming: let it come for GET and HEAD, else answer now and close without it. */
    private void onExpectContinue(ChannelHandlerContext ctx, HttpRequest request) {
        if (isGetOrHead(request.method())) {
            write(ctx, Unpooled.wrappedBuffer(CONTINUE));
        } else {
            current = null;
            respond(ctx, request, Persistence.CLOSE);
        }
    }

    private void respond(ChannelHandlerContext ctx, HttpRequest request, Persistence persistence) {
        boolean head = HttpMethod.HEAD.equals(request.method());
        if (request.protocolVersion().majorVersion() != 1) {
            persistence = Persistence.CLOSE;
            write(ctx, ResponseHead.error(ctx.alloc(), HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED,
                    cache.date(), persistence, head));
        } else if (!head && !HttpMethod.GET.equals(request.method())) {
            write(ctx, ResponseHead.start(ctx.alloc(), HttpResponseStatus.METHOD_NOT_ALLOWED, cache.date())
                    .header("allow", "GET, HEAD")
                    .endWithText("Method Not Allowed\n", persistence, false));
        } else {
            service.responder().respond(ctx, request, head, persistence, cache);
            flushNeeded = true;
        }
        served++;
        service.requests().requestServed();
        if (persistence == Persistence.CLOSE) {
            closeAfterWrites(ctx);
        }
    }

    private Persistence persistence(HttpRequest request) {
        int max = service.settings().maxRequestsPerConnection();
        if (service.isDraining() || !HttpUtil.isKeepAlive(request) || (max > 0 && served + 1 >= max)) {
            return Persistence.CLOSE;
        }
        return request.protocolVersion().isKeepAliveDefault()
                ? Persistence.KEEP_ALIVE
                : Persistence.KEEP_ALIVE_ANNOUNCED;
    }

    /** The decoder gave up on the stream: it reads nothing more, so answer and close. */
    private void rejectUnreadable(ChannelHandlerContext ctx, Throwable cause) {
        HttpResponseStatus status = cause instanceof TooLongHttpLineException
                ? HttpResponseStatus.REQUEST_URI_TOO_LONG
                : cause instanceof TooLongHttpHeaderException
                        ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
                        : HttpResponseStatus.BAD_REQUEST;
        current = null;
        write(ctx, ResponseHead.error(ctx.alloc(), status, cache.date(), Persistence.CLOSE, false));
        served++;
        service.requests().requestServed();
        closeAfterWrites(ctx);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        flush(ctx);
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            ctx.channel().config().setAutoRead(true);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event == DrainEvent.INSTANCE) {
            if (!closing && !decoder.isInsideRequest()) {
                closeAfterWrites(ctx);
                flush(ctx);
            }
        } else if (event instanceof IdleStateEvent) {
            closing = true;
            ctx.close();
        } else {
            ctx.fireUserEventTriggered(event);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Resets, broken pipes, files that shrank: the connection cannot continue, and the
        // client sees it closed; there is no one else to tell.
        closing = true;
        ctx.close();
    }

    /** Flushes what this read batch wrote; stops reading while the client does not keep up. */
    private void flush(ChannelHandlerContext ctx) {
        if (flushNeeded) {
            flushNeeded = false;
            ctx.flush();
            if (!ctx.channel().isWritable()) {
                ctx.channel().config().setAutoRead(false);
            }
        }
    }

    private void write(ChannelHandlerContext ctx, Object message) {
        ctx.write(message, ctx.voidPromise());
        flushNeeded = true;
    }

    /** Closes once everything written so far has been sent; reads are dropped until then. */
    private void closeAfterWrites(ChannelHandlerContext ctx) {
        closing = true;
        flushNeeded = true;
        ctx.write(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    private static boolean isGetOrHead(HttpMethod method) {
        return HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method);
    }
}
