package dev.berth.smtp;

import dev.berth.service.DrainEvent;
import dev.berth.service.RequestCounter;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The Netty edge of one SMTP connection: hands decoded inputs to the {@link SmtpSession} one at a
 * time, writes its replies, switches the decoder's mode, starts TLS and closes.
 *
 * <p>Threads: everything here runs on the channel's event loop except the session calls that
 * {@link SmtpSession#blocks} says may block; those run on {@code executor} (virtual threads) while
 * reading is paused (decoder paused, autoRead off), and their response is applied back on the loop.
 * So the session is used by one thread at a time. Replies are written as they come and flushed
 * when the input buffer is drained (PIPELINING, RFC 2920) or after blocking work; while the
 * channel is not writable no further input is handled.
 */
final class SmtpConnectionHandler extends ChannelInboundHandlerAdapter {

    private static final System.Logger LOG = System.getLogger(SmtpConnectionHandler.class.getName());

    private final SmtpSession session;
    private final SmtpDecoder decoder;
    private final Optional<SslContext> tls;
    private final Executor executor;
    private final Duration idleTimeout;
    private final Duration dataTimeout;
    private final RequestCounter requests;
    private final ArrayDeque<SmtpInput> pending = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private boolean busy;
    private boolean closing;
    private boolean draining;
    private boolean sessionClosed;
    private long lastActivity;

    SmtpConnectionHandler(SmtpSession session, SmtpDecoder decoder, Optional<SslContext> tls,
            Executor executor, Duration idleTimeout, Duration dataTimeout, RequestCounter requests) {
        this.requests = requests;
        this.session = session;
        this.decoder = decoder;
        this.tls = tls;
        this.executor = executor;
        this.idleTimeout = idleTimeout;
        this.dataTimeout = dataTimeout;
    }

    @Override
    public void channelActive(ChannelHandlerContext context) {
        ctx = context;
        lastActivity = ctx.executor().ticker().nanoTime();
        if (draining) {
            // the drain came first (a connection accepted as the worker began to drain): open
            // with 421 instead of 220, which RFC 5321 3.1 allows, rather than close without a word
            session.drain();
            ctx.write(session.shutdownReply());
            close();
            ctx.fireChannelActive();
            return;
        }
        ctx.writeAndFlush(session.greeting());
        scheduleTimeout(idleTimeout.toNanos());
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object msg) {
        if (!(msg instanceof SmtpInput input)) {
            context.fireChannelRead(msg);
            return;
        }
        lastActivity = ctx.executor().ticker().nanoTime();
        if (closing) {
            ReferenceCountUtil.release(input);
            return;
        }
        if (busy || !pending.isEmpty() || !ctx.channel().isWritable()) {
            pending.add(input);
            pauseReading();
            return;
        }
        process(input);
    }

    private void process(SmtpInput input) {
        if (draining) {
            session.drain();
        }
        if (!session.blocks(input)) {
            apply(session.handle(input));
            return;
        }
        busy = true;
        pauseReading();
        executor.execute(() -> {
            SessionResponse response;
            try {
                response = session.handle(input);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "SMTP session failed", e);
                response = SessionResponse.of(SmtpReply.of(451, "4.3.0", "Local error in processing"), SessionResponse.Next.CLOSE);
            }
            SessionResponse done = response;
            ctx.executor().execute(() -> afterWork(done));
        });
    }

    /** Sends the reply (after its delay) and switches what the decoder expects. */
    private void apply(SessionResponse response) {
        if (!response.delay().isZero() && !closing) {
            busy = true;
            pauseReading();
            ctx.flush();
            ctx.executor().schedule(() -> afterWork(response.withDelay(Duration.ZERO)),
                    response.delay().toNanos(), TimeUnit.NANOSECONDS);
            return;
        }
        response.reply().ifPresent(ctx::write);
        if (response.delivered()) {
            requests.requestServed();
        }
        switch (response.next()) {
            case READ -> { }
            case DATA -> decoder.expectData();
            case AUTH_LINE -> decoder.expectAuthLine();
            case START_TLS -> startTls();
            case CLOSE -> close();
        }
    }

    private void startTls() {
        ctx.flush();
        decoder.discardBuffered();
        pending.forEach(ReferenceCountUtil::release);
        pending.clear();
        SslHandler ssl = tls.orElseThrow().newHandler(ctx.alloc());
        ctx.pipeline().addFirst("tls", ssl);
        session.tlsStarted();
    }

    /** Back on the loop after blocking work or a delay: reply and go on, or close if gone. */
    private void afterWork(SessionResponse response) {
        busy = false;
        if (!ctx.channel().isActive()) {
            closeSession();
            return;
        }
        apply(response);
        proceed();
    }

    /** Handles queued inputs, then lets the decoder go on, then reads again. On the loop. */
    private void proceed() {
        if (closing && !ctx.channel().isActive()) {
            return;
        }
        while (!busy && !closing && ctx.channel().isWritable() && !pending.isEmpty()) {
            process(pending.poll());
        }
        if (!busy && !closing && ctx.channel().isWritable() && pending.isEmpty()) {
            decoder.resume();
            if (!busy && !closing) {
                ctx.channel().config().setAutoRead(true);
            }
        }
        ctx.flush();
    }

    private void pauseReading() {
        decoder.pause();
        ctx.channel().config().setAutoRead(false);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext context) {
        context.flush();
        context.fireChannelReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext context) {
        if (context.channel().isWritable()) {
            // Never from inside a write of a read in progress: the decoder must not be re-entered.
            context.executor().execute(this::proceed);
        } else {
            context.flush();
        }
        context.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext context, Object event) {
        if (event == DrainEvent.INSTANCE) {
            draining = true;
            if (ctx != null && !busy && !closing && !session.inTransaction() && pending.isEmpty()) {
                session.drain();
                ctx.write(session.shutdownReply());
                close();
            }
            return;
        }
        context.fireUserEventTriggered(event);
    }

    private void scheduleTimeout(long delayNanos) {
        ctx.executor().schedule(this::checkTimeout, Math.max(delayNanos, 1_000_000), TimeUnit.NANOSECONDS);
    }

    private void checkTimeout() {
        if (closing || !ctx.channel().isActive()) {
            return;
        }
        long limit = (!busy && session.inTransaction() ? dataTimeout : idleTimeout).toNanos();
        long idle = ctx.executor().ticker().nanoTime() - lastActivity;
        if (busy || idle < limit) {
            scheduleTimeout(busy ? limit : limit - idle);
            return;
        }
        ctx.write(SmtpReply.of(421, "4.4.2", "Timeout exceeded, closing connection"));
        close();
    }

    private void close() {
        closing = true;
        decoder.pause();
        pending.forEach(ReferenceCountUtil::release);
        pending.clear();
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        closing = true;
        pending.forEach(ReferenceCountUtil::release);
        pending.clear();
        if (!busy) {
            closeSession();
        }
        // Otherwise afterWork closes it when the running work is over.
        context.fireChannelInactive();
    }

    /** Closes the session once, on the executor (closing a relay leg blocks). Event loop. */
    private void closeSession() {
        if (sessionClosed) {
            return;
        }
        sessionClosed = true;
        try {
            executor.execute(() -> {
                try {
                    session.close();
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "closing SMTP session failed", e);
                }
            });
        } catch (RejectedExecutionException stopped) {
            LOG.log(Level.DEBUG, "service closed; SMTP session left to the worker's exit");
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        LOG.log(Level.DEBUG, "SMTP connection error", cause);
        context.close();
    }

    /** Whether a reply is being computed off the loop (for tests). */
    boolean isBusy() {
        return busy;
    }
}
