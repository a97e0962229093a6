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
 * The client leg of an IMAP proxy connection until the upstream login succeeds:
 *
 * <pre>
 *   COMMANDS --LOGIN/AUTHENTICATE--> LOGIN_PENDING --ok--> (tagged OK passed on; RelayHandler on both legs)
 *       ^                                  |
 *       +------tag NO ... (upstream's)-----+
 * </pre>
 *
 * Reads are paused while the login is pending; bytes the client pipelined meanwhile are sent
 * upstream after it. Plaintext that follows STARTTLS is dropped. Confined to the client's event
 * loop; never blocks.
 */
final class ImapProxyFrontend extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = System.getLogger(ImapProxyFrontend.class.getName());

    private final ProxyRuntime runtime;
    private final ImapProxySession session;
    private final ImapRequestReader reader = new ImapRequestReader();
    private LineBuffer buffer;
    private static final int MAX_PENDING = 64 * 1024;

    private boolean loginPending;
    private boolean draining;
    private Future<LoginResult> pendingLogin;

    ImapProxyFrontend(ProxyRuntime runtime) {
        this.runtime = runtime;
        this.session = new ImapProxySession(runtime.router(), runtime.clientTls().isPresent());
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        buffer = new LineBuffer(ctx.alloc(), ImapRequestReader.MAX_LINE);
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
        ByteBuf in = buffer.bytes();
        while (!loginPending && ctx.channel().isActive()) {
            if (session.saslTag().isPresent()) {
                String line = reader.readLine(in);
                if (line == null) {
                    if (in.readableBytes() > ImapRequestReader.MAX_LINE) {
                        tooLong(ctx);
                    }
                    break;
                }
                act(ctx, session.handle(new ImapCommand.SaslResponse(session.saslTag().get(), line)));
                continue;
            }
            ImapRequestReader.Result result = reader.read(in);
            if (result instanceof ImapRequestReader.Result.Command command) {
                act(ctx, session.handle(command.command()));
            } else if (result instanceof ImapRequestReader.Result.Continue) {
                write(ctx, "+ Ready for literal data");
            } else if (result instanceof ImapRequestReader.Result.TooLong) {
                tooLong(ctx);
                break;
            } else {
                break;
            }
        }
        in.discardSomeReadBytes();
        ctx.flush();
    }

    private void tooLong(ChannelHandlerContext ctx) {
        write(ctx, "* BYE line or literal too long");
        ctx.writeAndFlush(ctx.alloc().buffer(0)).addListener(ChannelFutureListener.CLOSE);
    }

    private void act(ChannelHandlerContext ctx, ImapStep step) {
        switch (step) {
            case ImapStep.Reply reply -> {
                write(ctx, reply.text());
                if (reply.close()) {
                    ctx.writeAndFlush(ctx.alloc().buffer(0)).addListener(ChannelFutureListener.CLOSE);
                }
            }
            case ImapStep.StartTls tls -> {
                buffer.clear();
                SslHandler ssl = new SslHandler(runtime.clientTls().orElseThrow().newEngine(ctx.alloc()), true);
                ctx.pipeline().addFirst("tls", ssl);
                write(ctx, tls.reply());
            }
            case ImapStep.Login login -> login(ctx, login);
        }
    }

    private void login(ChannelHandlerContext ctx, ImapStep.Login login) {
        loginPending = true;
        ctx.channel().config().setAutoRead(false);
        // one read at a time, so that a client that leaves is noticed while the login runs
        ctx.read();
        ProxySettings settings = runtime.settings();
        LoginDialogue dialogue = new ImapLoginDialogue(login.routed().user(), login.password(),
                settings.upstreamTls(), settings.xclient(), ClientAddress.of(ctx.channel().remoteAddress()));
        LOG.log(Level.DEBUG, () -> "login " + login.routed().user() + " at " + login.routed().upstream());
        pendingLogin = runtime.connector().connect(ctx.channel(), login.routed().upstream(), dialogue);
        pendingLogin.addListener((Future<LoginResult> f) -> onLogin(ctx, login.tag(), f));
    }

    private void onLogin(ChannelHandlerContext ctx, String tag, Future<LoginResult> f) {
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
            startRelay(ctx, tag, f.getNow());
            return;
        }
        String reply = f.cause() instanceof LoginFailedException failed ? failed.failure().reply()
                : "NO [UNAVAILABLE] upstream unavailable";
        act(ctx, session.loginFailed(tag, reply));
        if (draining) {
            goodbye(ctx);
            return;
        }
        ctx.channel().config().setAutoRead(true);
        process(ctx);
    }

    private void startRelay(ChannelHandlerContext ctx, String tag, LoginResult result) {
        Channel client = ctx.channel();
        Channel upstream = result.upstream();
        runtime.requests().requestServed();
        result.success().untagged().forEach(line -> write(ctx, line));
        write(ctx, tag + " " + result.success().reply());
        ctx.write(result.rest());
        ctx.flush();
        ByteBuf pending = buffer.takeRest();
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
            write(ctx, "* BYE autologout: idle too long");
            ctx.writeAndFlush(ctx.alloc().buffer(0)).addListener(ChannelFutureListener.CLOSE);
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(Level.DEBUG, () -> "imap proxy client " + ctx.channel() + ": " + cause);
        ctx.close();
    }

    private void goodbye(ChannelHandlerContext ctx) {
        write(ctx, "* BYE server shutting down, try again later");
        ctx.writeAndFlush(ctx.alloc().buffer(0)).addListener(ChannelFutureListener.CLOSE);
    }

    private int pendingBytes() {
        return buffer.bytes().readableBytes();
    }

    private static void write(ChannelHandlerContext ctx, String text) {
        ctx.write(ctx.alloc().buffer().writeBytes((text + "\r\n").getBytes(StandardCharsets.UTF_8)));
    }
}
