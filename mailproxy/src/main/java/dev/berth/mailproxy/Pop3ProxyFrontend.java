package dev.berth.mailproxy;

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

/**
 * The client leg of a POP3 proxy connection until the upstream login succeeds:
 *
 * <pre>
 *   COMMANDS --Login--> LOGIN_PENDING --ok--> (this handler leaves; RelayHandler on both legs)
 *       ^                    |
 *       +------failed--------+   (-ERR [AUTH] / -ERR [SYS/TEMP] written, next attempt allowed)
 * </pre>
 *
 * Reads are paused while the login is pending; lines the client pipelined meanwhile are sent
 * upstream after the login. Plaintext that follows STLS is dropped. Confined to the client's event
 * loop; never blocks.
 */
final class Pop3ProxyFrontend extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = System.getLogger(Pop3ProxyFrontend.class.getName());
    private static final int MAX_LINE = 1024;

    private final ProxyRuntime runtime;
    private final Pop3ProxySession session;
    private LineBuffer lines;
    private static final int MAX_PENDING = 64 * 1024;

    private boolean loginPending;
    private boolean draining;
    private Future<LoginResult> pendingLogin;

    Pop3ProxyFrontend(ProxyRuntime runtime) {
        this.runtime = runtime;
        this.session = new Pop3ProxySession(runtime.router(), runtime.clientTls().isPresent());
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        lines = new LineBuffer(ctx.alloc(), MAX_LINE);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        lines.release();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        write(ctx, Pop3ProxySession.GREETING);
        ctx.flush();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf buf)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        lines.add(buf);
        if (!loginPending) {
            process(ctx);
        }
    }

    private void process(ChannelHandlerContext ctx) {
        try {
            while (!loginPending && ctx.channel().isActive()) {
                var line = lines.nextLine();
                if (line.isEmpty()) {
                    break;
                }
                Pop3Command command = session.expectsSaslResponse()
                        ? new Pop3Command.SaslResponse(line.get()) : Pop3Command.parse(line.get());
                act(ctx, session.handle(command));
            }
        } catch (LineBuffer.TooLongException e) {
            write(ctx, "-ERR line too long");
            ctx.writeAndFlush(ctx.alloc().buffer(0)).addListener(ChannelFutureListener.CLOSE);
        }
        ctx.flush();
    }

    private void act(ChannelHandlerContext ctx, Pop3Step step) {
        switch (step) {
            case Pop3Step.Reply reply -> {
                write(ctx, reply.text());
                if (reply.close()) {
                    ctx.writeAndFlush(ctx.alloc().buffer(0)).addListener(ChannelFutureListener.CLOSE);
                }
            }
            case Pop3Step.StartTls tls -> {
                lines.clear();
                SslHandler ssl = new SslHandler(runtime.clientTls().orElseThrow().newEngine(ctx.alloc()), true);
                ctx.pipeline().addFirst("tls", ssl);
                write(ctx, tls.reply());
            }
            case Pop3Step.Login login -> login(ctx, login);
        }
    }

    private void login(ChannelHandlerContext ctx, Pop3Step.Login login) {
        loginPending = true;
        ctx.channel().config().setAutoRead(false);
        // one read at a time, so that a client that leaves is noticed while the login runs
        ctx.read();
        ProxySettings settings = runtime.settings();
        LoginDialogue dialogue = new Pop3LoginDialogue(login.routed().user(), login.password(),
                settings.upstreamTls(), settings.xclient(), ClientAddress.of(ctx.channel().remoteAddress()));
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
        String reply = f.cause() instanceof LoginFailedException failed ? failed.failure().reply()
                : "-ERR [SYS/TEMP] upstream unavailable";
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
        write(ctx, result.success().reply());
        ctx.write(result.rest());
        ctx.flush();
        ByteBuf pending = lines.takeRest();
        runtime.scanner().ifPresent(scanner -> {
            Pop3Exchange exchange = new Pop3Exchange();
            exchange.observeClient(pending);
            client.pipeline().addBefore(ctx.name(), "track", new Pop3CommandTracker(exchange));
            upstream.pipeline().addLast("scan", new Pop3ScanFilter(exchange, scanner, runtime.scanExecutor(), client));
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
        if (loginPending && pendingBytes() < MAX_PENDING) {
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
            write(ctx, "-ERR [SYS/TEMP] autologout: idle too long");
            ctx.writeAndFlush(ctx.alloc().buffer(0)).addListener(ChannelFutureListener.CLOSE);
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(Level.DEBUG, () -> "pop3 proxy client " + ctx.channel() + ": " + cause);
        ctx.close();
    }

    private void goodbye(ChannelHandlerContext ctx) {
        write(ctx, "-ERR [SYS/TEMP] server shutting down, try again later");
        ctx.writeAndFlush(ctx.alloc().buffer(0)).addListener(ChannelFutureListener.CLOSE);
    }

    private int pendingBytes() {
        return lines.bytes().readableBytes();
    }

    private static void write(ChannelHandlerContext ctx, String text) {
        ctx.write(ctx.alloc().buffer().writeBytes((text + "\r\n").getBytes(StandardCharsets.UTF_8)));
    }
}
