package dev.berth.mailproxy;

import dev.berth.config.HostPort;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Promise;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;

/**
 * Drives a {@link LoginDialogue} on an upstream connection: feeds it the upstream's lines, sends
 * what it asks for, starts TLS when asked, and completes the promise with a {@link LoginResult}
 * (then removes itself) or with a {@link LoginFailedException} (then closes the connection,
 * without any goodbye). Runs on the upstream's event loop; never blocks.
 */
final class UpstreamLoginHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = System.getLogger(UpstreamLoginHandler.class.getName());
    private static final int MAX_LINE = 8192;

    private final LoginDialogue dialogue;
    private final Promise<LoginResult> promise;
    private final SslContext tlsContext;
    private final HostPort upstream;
    private LineBuffer lines;
    private boolean handshaking;

    /**
     * @param tlsContext the client context for STLS / STARTTLS upstream; may be null when the
     *     dialogue never asks for TLS
     */
    UpstreamLoginHandler(LoginDialogue dialogue, Promise<LoginResult> promise, SslContext tlsContext, HostPort upstream) {
        this.dialogue = dialogue;
        this.promise = promise;
        this.tlsContext = tlsContext;
        this.upstream = upstream;
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
        act(ctx, dialogue.start());
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf buf) || promise.isDone()) {
            io.netty.util.ReferenceCountUtil.release(msg);
            return;
        }
        lines.add(buf);
        try {
            while (!promise.isDone() && !handshaking) {
                var line = lines.nextLine();
                if (line.isEmpty()) {
                    break;
                }
                act(ctx, dialogue.onLine(line.get()));
            }
        } catch (LineBuffer.TooLongException e) {
            fail(ctx, dialogue.unavailable("reply line too long"));
        }
    }

    private void act(ChannelHandlerContext ctx, LoginStep step) {
        switch (step) {
            case LoginStep.Wait w -> { }
            case LoginStep.Send send -> {
                LOG.log(Level.DEBUG, () -> upstream + " <- " + (send.secret() ? send.line().split(" ")[0] + " ***" : send.line()));
                ctx.writeAndFlush(ctx.alloc().buffer().writeBytes((send.line() + "\r\n").getBytes(StandardCharsets.UTF_8)));
            }
            case LoginStep.StartTls t -> startTls(ctx);
            case LoginStep.Succeeded ok -> succeed(ctx, ok);
            case LoginStep.Failed failed -> fail(ctx, failed);
        }
    }

    private void startTls(ChannelHandlerContext ctx) {
        if (tlsContext == null) {
            fail(ctx, dialogue.unavailable("no TLS context"));
            return;
        }
        lines.clear();
        handshaking = true;
        SslHandler ssl = tlsContext.newHandler(ctx.alloc(), upstream.host(), upstream.port());
        ctx.pipeline().addFirst("tls", ssl);
        ssl.handshakeFuture().addListener(f -> {
            handshaking = false;
            if (!f.isSuccess()) {
                fail(ctx, dialogue.unavailable("TLS handshake failed: " + f.cause().getMessage()));
                return;
            }
            act(ctx, dialogue.onTlsReady());
        });
    }

    private void succeed(ChannelHandlerContext ctx, LoginStep.Succeeded ok) {
        ctx.channel().config().setAutoRead(false);
        ByteBuf rest = lines.takeRest();
        ctx.pipeline().remove(this);
        if (!promise.trySuccess(new LoginResult(ctx.channel(), ok, rest))) {
            rest.release();
            ctx.close();
        }
    }

    private void fail(ChannelHandlerContext ctx, LoginStep.Failed failed) {
        promise.tryFailure(new LoginFailedException(failed));
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!promise.isDone()) {
            promise.tryFailure(new LoginFailedException(dialogue.unavailable("connection closed")));
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(Level.DEBUG, () -> "upstream " + upstream + ": " + cause);
        fail(ctx, dialogue.unavailable(String.valueOf(cause.getMessage())));
    }
}
