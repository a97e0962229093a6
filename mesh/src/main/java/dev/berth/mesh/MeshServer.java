package dev.berth.mesh;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2ConnectionHandlerBuilder;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.function.LongSupplier;

/**
 * The proxy's listener for other proxies (and for {@code curl --http2-prior-knowledge}): each
 * accepted connection gets an HTTP/2 server handler with {@link ServerStreams}. {@link #drain} sends
 * every connection GOAWAY and lets the calls it carries finish (up to {@link MeshWire#DRAIN_MILLIS}).
 */
final class MeshServer implements AutoCloseable {

    private final Channel listener;
    private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);

    MeshServer(InetSocketAddress address, EventLoopGroup loops, String node, ServerStreams.Executor executor,
               LongSupplier nanos) throws InterruptedException {
        this.listener = new ServerBootstrap().group(loops).channel(EpollServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        connections.add(ch);
                        install(ch, node, executor, nanos);
                    }
                })
                .bind(address).sync().channel();
    }

    /**
     * Puts an HTTP/2 server handler whose frames go to a new {@link ServerStreams} on the channel;
     * when the channel closes, the calls it carried are cancelled. Also used by tests.
     */
    static Http2ConnectionHandler install(Channel ch, String node, ServerStreams.Executor executor, LongSupplier nanos) {
        ServerStreams streams = new ServerStreams(node, executor, nanos);
        Http2ConnectionHandler handler = new Http2ConnectionHandlerBuilder().server(true).frameListener(streams)
                .initialSettings(MeshWire.settings()).gracefulShutdownTimeoutMillis(MeshWire.DRAIN_MILLIS).build();
        streams.handler(handler);
        ch.pipeline().addLast(handler);
        ch.closeFuture().addListener(f -> streams.closed());
        return handler;
    }

    /** The address actually bound (port 0 resolved). */
    InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    /** Open connections from other proxies. */
    int connections() {
        return connections.size();
    }

    /** Stops accepting and sends GOAWAY on every connection; calls in flight finish. */
    void drain() {
        listener.close().syncUninterruptibly();
        connections.close();
    }

    @Override
    public void close() {
        drain();
    }
}
