package dev.berth.pop3;

import dev.berth.mailwire.Pop3Command;
import dev.berth.service.RequestCounter;
import dev.berth.service.DrainEvent;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The edge between Netty and a {@link Pop3Session}: each decoded command goes to the
 * connection's {@link SerialExecutor} (the session may block), its {@link Outcome} comes back to
 * the event loop, which writes the reply (after a failed login's delay), starts TLS or closes,
 * and releases the next line from the {@link Pop3Decoder}. Reads are paused while a command is
 * out. RETR and TOP bodies are streamed by {@link MessageStreamer} on the serial executor.
 *
 * <pre>
 *  loop: decoder ─command─▶ autoRead off ─▶ serial: session.handle ─▶ loop: write reply
 *        ▲                                       └─ Content: stream body ─┘        │
 *        └──────────────── decoder.next(), autoRead on ◀──────────────────────────┘
 * </pre>
 *
 * <p>When the service drains, connections not logged in are told {@code -ERR [SYS/TEMP]} and
 * closed between commands; logged-in ones go on until QUIT or the idle timeout, so that their
 * deletions are committed. An idle connection (no reads or writes for the idle timeout) is told
 * so and closed without the UPDATE state; a lost connection releases the maildrop without
 * deleting anything.
 *
 * <p>Threads: Netty callbacks on the channel's event loop; the session only on the serial
 * executor. One instance per connection.
 */
final class Pop3ConnectionHandler extends ChannelInboundHandlerAdapter {

    private final Pop3ServiceHandler service;
    private final Pop3Session session;
    private final Pop3Decoder decoder;
    private final SerialExecutor serial;
    private final RequestCounter requests;
    private MessageStreamer streamer;
    private ChannelHandlerContext context;
    // Whether the session is working on a command (a slow login is not the client being idle).
    private volatile boolean handling;

    Pop3ConnectionHandler(Pop3ServiceHandler service, Pop3Session session, Pop3Decoder decoder, SerialExecutor serial) {
        this.service = service;
        this.session = session;
        this.decoder = decoder;
        this.serial = serial;
        this.requests = service.requests();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        context = ctx;
        streamer = new MessageStreamer(ctx.channel());
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.writeAndFlush(session.greeting());
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof Pop3Command command)) {
            ctx.fireChannelRead(msg);
            return;
        }
        ctx.channel().config().setAutoRead(false);
        try {
            serial.execute(() -> runGuarded(command));
        } catch (RejectedExecutionException stopped) {
            ctx.close();
        }
    }

    /** On the serial executor: a failing session ends the connection rather than stalling it. */
    private void runGuarded(Pop3Command command) {
        try {
            run(command);
        } catch (RuntimeException | Error e) {
            Pop3Session.LOG.log(System.Logger.Level.ERROR, "POP3 command failed: " + command, e);
            context.close();
        }
    }

    /** On the serial executor: the session's turn, then back to the loop. */
    private void run(Pop3Command command) {
        Outcome outcome;
        handling = true;
        try {
            outcome = session.handle(command);
        } finally {
            handling = false;
        }
        if (outcome.reply() instanceof Pop3Reply.Content content) {
            boolean whole = context.channel().isActive() && streamer.stream(content);
            context.executor().execute(() -> {
                requests.requestServed();
                if (whole) {
                    readNext(false);
                } else {
                    context.close();
                }
            });
            return;
        }
        if (outcome.delay().isZero()) {
            context.executor().execute(() -> apply(outcome));
        } else {
            context.executor().schedule(() -> apply(outcome), outcome.delay().toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    /** On the loop: write the reply and do what follows it. */
    private void apply(Outcome outcome) {
        if (!context.channel().isActive()) {
            return;
        }
        requests.requestServed();
        switch (outcome.next()) {
            case COMMAND -> {
                context.writeAndFlush(outcome.reply());
                readNext(false);
            }
            case SASL_RESPONSE -> {
                context.writeAndFlush(outcome.reply());
                readNext(true);
            }
            case START_TLS -> {
                // The reply goes out in plaintext (startTls = true); what the client sent after
                // STLS and before the handshake is dropped (RFC 2595 §4).
                SslContext ssl = service.tls().orElseThrow();
                context.pipeline().addFirst("tls", new SslHandler(ssl.newEngine(context.alloc()), true));
                context.writeAndFlush(outcome.reply());
                decoder.discardBuffered();
                readNext(false);
            }
            case CLOSE -> context.writeAndFlush(outcome.reply()).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private void readNext(boolean saslResponse) {
        if (service.isDraining() && session.state() == Pop3Session.State.AUTHORIZATION) {
            goodbye();
            return;
        }
        context.channel().config().setAutoRead(true);
        decoder.next(saslResponse);
    }

    /** Draining: a connection not logged in ends now; a logged-in one may finish up to QUIT. */
    private void goodbye() {
        context.writeAndFlush(new Pop3Reply.Err(Pop3Reply.ResponseCode.SYS_TEMP,
                        "Server shutting down, try again later."))
                .addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        try {
            serial.execute(session::close);
        } catch (RejectedExecutionException stopped) {
            // The worker is exiting; closing the session here cannot race a command, none runs.
            session.close();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event == DrainEvent.INSTANCE) {
            if (!decoder.isWaiting() && session.state() == Pop3Session.State.AUTHORIZATION) {
                goodbye();
            }
            return;
        }
        if (event instanceof IdleStateEvent) {
            if (handling) {
                return; // the handler reports again after another idle period
            }
            ctx.writeAndFlush(Pop3Reply.Err.of("Disconnected for inactivity."))
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Pop3Session.LOG.log(System.Logger.Level.DEBUG, "connection failed", cause);
        ctx.close();
    }
}
