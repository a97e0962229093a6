package dev.berth.worker;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.unix.Socket;
import java.io.IOException;

/**
 * The first handler of a handed-off connection's pipeline: when the connection is closed through
 * its pipeline (a kind's close, the {@link FatalErrorHandler}'s), it shuts the socket down for
 * writing first, so the client gets its FIN now. The dispatcher keeps its own descriptor of the
 * connection until it reads the worker's ack (docs/adr/0005), and a TCP socket sends its FIN only
 * when its last descriptor closes: without this, a connection the worker answered and closed
 * before the dispatcher read the ack waited for the dispatcher, which then also paid for the
 * teardown (docs/adr/0039). Shared by every channel; runs on their event loops.
 */
@ChannelHandler.Sharable
final class FinOnClose extends ChannelOutboundHandlerAdapter {

    static final FinOnClose INSTANCE = new FinOnClose();

    private FinOnClose() {
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        if (ctx.channel() instanceof EpollSocketChannel channel && channel.isOpen()
                && channel.fd() instanceof Socket socket && !socket.isOutputShutdown()) {
            try {
                socket.shutdown(false, true);
            } catch (IOException e) {
                // not connected any more (the peer reset it): the close that follows is all there is to do
            }
        }
        ctx.close(promise);
    }
}
