package dev.berth.worker;

import dev.berth.control.FatalErrors;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.lang.System.Logger.Level;

/**
 * The last handler of every connection's pipeline: an Error that a kind's handlers passed on ends
 * the worker ({@link FatalErrors}); any other exception that reached this far closes only its
 * connection. Shared by every channel; runs on their event loops.
 */
@ChannelHandler.Sharable
final class FatalErrorHandler extends ChannelInboundHandlerAdapter {

    static final FatalErrorHandler INSTANCE = new FatalErrorHandler();

    private static final System.Logger LOG = System.getLogger(FatalErrorHandler.class.getName());

    private FatalErrorHandler() {
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (FatalErrors.isFatal(cause)) {
            FatalErrors.exit("a handler of " + ctx.channel(), cause);
        }
        LOG.log(Level.DEBUG, () -> "closing " + ctx.channel() + " after an exception no handler took", cause);
        ctx.close();
    }
}
