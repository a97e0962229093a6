package dev.berth.mailproxy;

import dev.berth.service.DrainEvent;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The client leg of a POP3 or IMAP proxy connection until the upstream login succeeds; the
 * protocol is the {@link ProxySession}'s, the channel work is the same for both:
 *
 * <pre>
 *   COMMANDS --Login--> LOGIN_PENDING --ok--> (upstream's answer passed on; RelayHandler on both legs)
 *       ^                    |
 *       +------failed--------+   (the upstream's refusal or "unavailable" written, next attempt allowed)
 * </pre>
 *
 * Reads are paused while the login is pending; bytes the client pipelined meanwhile are sent
 * upstream after the login (and, with a scanner, framed by {@link Pop3CommandTracker}). Plaintext
 * that follows STLS / STARTTLS is dropped. Nothing is read after a reply that closes. Confined to
 * the client's event loop; never blocks.
 */
final class ProxyFrontend extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = System.getLogger(ProxyFrontend.class.getName());
    private static final int MAX_PENDING = 64 * 1024;

    private final ProxyRuntime runtime;
    private final ProxySession session;
    private LineBuffer buffer;

    private boolean loginPending;
    private boolean closing;
    private boolean draining;
    private Future<LoginResult> pendingLogin;

    /** A frontend for the runtime's protocol; called on the connection's event loop. */
    ProxyFrontend(ProxyRuntime runtime) {
        this.runtime = runtime;
        this.session = ProxySession.of(runtime.settings().protocol(), runtime.router(), runtime.clientTls().isPresent());
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        buffer = new LineBuffer(ctx.alloc(), session.maxLine());
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        buffer.release();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        write(ctx, session.greeting());
        ctx.flush();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf buf)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        buffer.add(buf);
        if (!loginPending) {
            process(ctx);
        }
    }

    private void process(ChannelHandlerContext ctx) {
        while (!loginPending && !closing && ctx.channel().isActive()) {
            Optional<ProxyStep> step = session.next(buffer);
            if (step.isEmpty()) {
                break;
            }
            act(ctx, step.get());
        }
        buffer.bytes().discardSomeReadBytes();
        ctx.flush();
    }

    private void act(ChannelHandlerContext ctx, ProxyStep step) {
        switch (step) {
            case ProxyStep.Reply reply -> {
                write(ctx, reply.text());
                if (reply.close()) {
                    close(ctx);
                }
            }
            case ProxyStep.StartTls tls -> {
                buffer.clear();
                SslHandler ssl = new SslHandler(runtime.clientTls().orElseThrow().newEngine(ctx.alloc()), true);
                ctx.pipeline().addFirst("tls", ssl);
                write(ctx, tls.reply());
            }
            case ProxyStep.Login login -> login(ctx, login);
        }
    }

    private void login(ChannelHandlerContext ctx, ProxyStep.Login login) {
        loginPending = true;
        ctx.channel().config().setAutoRead(false);
        // one read at a time, so that a client that leaves is noticed while the login runs
        ctx.read();
        ClientAddress client = ClientAddress.of(ctx.channel().remoteAddress());
        LoginDialogue dialogue = session.dialogue(UpstreamLogin.of(login, runtime.settings(), client));
        LOG.log(Level.DEBUG, () -> "login " + login.routed().user() + " at " + login.routed().upstream());
        pendingLogin = runtime.connector().connect(ctx.channel(), login.routed().upstream(), dialogue);
        pendingLogin.addListener((Future<LoginResult> f) -> onLogin(ctx, f));
    }

    private void onLogin(ChannelHandlerContext ctx, Future<LoginResult> f) {
        loginPending = false;
        pendingLogin = null;
        if (!ctx.channel().isActive()) {
            if (f.isSuccess()) {
                f.getNow().rest().release();
                f.getNow().upstream().close();
            }
            return;
        }
        if (f.isSuccess()) {
            startRelay(ctx, f.getNow());
            return;
        }
        String reply = f.cause() instanceof LoginFailedException failed ? failed.failure().reply() : session.unavailable();
        act(ctx, session.loginFailed(reply));
        if (draining) {
            goodbye(ctx);
            return;
        }
        ctx.channel().config().setAutoRead(true);
        process(ctx);
    }

    private void startRelay(ChannelHandlerContext ctx, LoginResult result) {
        Channel client = ctx.channel();
        Channel upstream = result.upstream();
        runtime.requests().requestServed();
        write(ctx, session.loggedIn(result.success()));
        ctx.write(result.rest());
        ctx.flush();
        ByteBuf pending = buffer.takeRest();
        // only a pop3-proxy has a scanner (ProxySettings refuses scan: elsewhere)
        runtime.scan().ifPresent(scan -> {
            Pop3Exchange exchange = new Pop3Exchange();
            exchange.observeClient(pending);
            client.pipeline().addBefore(ctx.name(), "track", new Pop3CommandTracker(exchange));
            upstream.pipeline().addLast("scan", new Pop3ScanFilter(exchange, scan, client));
        });
        upstream.pipeline().addLast("relay", new RelayHandler(client));
        client.pipeline().addLast("relay", new RelayHandler(upstream));
        client.pipeline().remove(this);
        upstream.writeAndFlush(pending);
        upstream.config().setAutoRead(true);
        client.config().setAutoRead(true);
    }

    /** While a login is pending, asks for one more read unless a lot is buffered already. */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (loginPending && buffer.bytes().readableBytes() < MAX_PENDING) {
            ctx.read();
        }
        ctx.fireChannelReadComplete();
    }

    /** A client that leaves during the upstream login ends the attempt: the upstream is closed at once. */
    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (pendingLogin != null) {
            pendingLogin.cancel(false);
        }
        ctx.fireChannelInactive();
    }

    /**
     * A {@link DrainEvent} ends the connection with a goodbye (after a pending login's answer); an
     * idle timeout ends it with an autologout unless a login is pending.
     */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == DrainEvent.INSTANCE) {
            draining = true;
            if (!loginPending) {
                goodbye(ctx);
            }
            return;
        }
        if (evt instanceof IdleStateEvent && !loginPending) {
            write(ctx, session.bye("autologout: idle too long"));
            close(ctx);
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(Level.DEBUG, () -> runtime.settings().protocol().kind() + " client " + ctx.channel() + ": " + cause);
        ctx.close();
    }

    private void goodbye(ChannelHandlerContext ctx) {
        write(ctx, session.bye("server shutting down, try again later"));
        close(ctx);
    }

    /** Flushes what is written, then closes. */
    private void close(ChannelHandlerContext ctx) {
        closing = true;
        ctx.writeAndFlush(ctx.alloc().buffer(0)).addListener(ChannelFutureListener.CLOSE);
    }

    private static void write(ChannelHandlerContext ctx, String text) {
        ctx.write(ctx.alloc().buffer().writeBytes((text + "\r\n").getBytes(StandardCharsets.UTF_8)));
    }
}
