package dev.berth.http;

import dev.berth.service.DrainEvent;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.lang.System.Logger.Level;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
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
 *    │ drain, idle timeout     │ idle timeout, decoder failure (400/414/431 then close),
 *    │ header timeout          │ refused head (400 then close, see HeadCheck), header timeout
 *    │                         │ (READING begins with the request's first byte, see RequestDecoder)
 *    ▼                         ▼
 *   CLOSING ◄──────────────────┘     everything read while CLOSING is dropped
 * </pre>
 *
 * <p>Header timeout: a request's head must have arrived whole within {@code header-timeout} of
 * the connection's start (first request) or of its first byte (later requests); else the
 * connection closes, after a 408 if part of a head had come. Between requests only the keep-alive
 * timeout applies.
 *
 * <p>A response says {@code connection: close} when the client asked for it (or sent HTTP/1.0
 * without keep-alive), when the connection reached {@code max-requests-per-connection}, or when
 * the service is draining. Thread: every method runs on the channel's event loop; the handler is
 * not shared. Back-pressure: reading stops while the channel is not writable.
 */
final class HttpConnectionHandler extends ChannelInboundHandlerAdapter {

    private static final System.Logger LOG = System.getLogger(HttpConnectionHandler.class.getName());
    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final HttpServiceHandler service;
    private final RequestDecoder decoder;
    private final LoopCache cache;
    private HttpRequest current;
    private int served;
    private boolean closing;
    private boolean flushNeeded;
    private ScheduledFuture<?> headerTimer;

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
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            startHeaderTimer(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        startHeaderTimer(ctx);
        ctx.fireChannelActive();
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
            stopHeaderTimer();
            Optional<String> refusal = HeadCheck.refusal(request);
            if (refusal.isPresent()) {
                LOG.log(Level.DEBUG, () -> ctx.channel().remoteAddress() + " refused: " + refusal.get());
                reject(ctx, HttpResponseStatus.BAD_REQUEST);
                return;
            }
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
        reject(ctx, cause instanceof TooLongHttpLineException
                ? HttpResponseStatus.REQUEST_URI_TOO_LONG
                : cause instanceof TooLongHttpHeaderException
                        ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
                        : HttpResponseStatus.BAD_REQUEST);
    }

    /** Answers with an error and closes: nothing after this request is read as a request. */
    private void reject(ChannelHandlerContext ctx, HttpResponseStatus status) {
        current = null;
        stopHeaderTimer();
        write(ctx, ResponseHead.error(ctx.alloc(), status, cache.date(), Persistence.CLOSE, false));
        served++;
        service.requests().requestServed();
        closeAfterWrites(ctx);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (!closing && current == null && decoder.isInsideRequest()) {
            startHeaderTimer(ctx);
        }
        flush(ctx);
        ctx.fireChannelReadComplete();
    }

    /** Starts the header timeout unless it runs already. */
    private void startHeaderTimer(ChannelHandlerContext ctx) {
        if (headerTimer == null && !closing) {
            headerTimer = ctx.executor().schedule(() -> onHeaderTimeout(ctx),
                    service.settings().headerTimeout().toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    private void stopHeaderTimer() {
        if (headerTimer != null) {
            headerTimer.cancel(false);
            headerTimer = null;
        }
    }

    private void onHeaderTimeout(ChannelHandlerContext ctx) {
        headerTimer = null;
        if (closing) {
            return;
        }
        if (decoder.isInsideRequest()) {
            reject(ctx, HttpResponseStatus.REQUEST_TIMEOUT);
            flush(ctx);
        } else {
            closing = true;
            ctx.close();
        }
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
            // an idle keep-alive connection closes now (its client may retry on a new one); one
            // that has not sent its first request yet is answered, with connection: close, within
            // the header timeout: to its client, a fresh connection closed unanswered is a failure
            if (!closing && !decoder.isInsideRequest() && served > 0) {
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
    public void channelInactive(ChannelHandlerContext ctx) {
        stopHeaderTimer();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Resets, broken pipes, files that shrank: the connection cannot continue, and the
        // client sees it closed; there is no one else to tell. An Error goes on to the end of the
        // pipeline, where the worker ends the process (ServiceHandler).
        closing = true;
        stopHeaderTimer();
        ctx.close();
        if (cause instanceof Error) {
            ctx.fireExceptionCaught(cause);
        }
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
