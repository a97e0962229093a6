package dev.berth.admin;

import dev.berth.config.ListenAddress;
import dev.berth.master.AdminPlane;
import dev.berth.master.MasterEvent;
import dev.berth.master.MasterView;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.InstantSource;
import java.util.concurrent.TimeUnit;

/**
 * The master's admin plane: an HTTP/1.1 server on one event-loop thread that serves the page
 * ({@code /}), {@code /status.json}, {@code /history.json}, {@code /metrics}, {@code /healthz}
 * and {@code /readyz} from the master's snapshots ({@link AdminHandler}). It runs no handler code
 * and touches no worker: everything comes from the master's {@link MasterView}. Once a second it
 * samples the master for the page's charts ({@link History}).
 *
 * <p>Threads: the one admin event loop owns the history and every connection; the supervisor
 * thread only records start times ({@link StartTimes}). Closing stops the loop.
 */
public final class AdminServer implements AdminPlane {

    private static final System.Logger LOG = System.getLogger(AdminServer.class.getName());
    static final long SAMPLE_MS = 1_000;

    private final MultiThreadIoEventLoopGroup loop;
    private final Channel server;
    private final String address;

    private AdminServer(MultiThreadIoEventLoopGroup loop, Channel server, String address) {
        this.loop = loop;
        this.server = server;
        this.address = address;
    }

    /**
     * Binds {@code address} and starts serving {@code view}; the {@link AdminPlane.Factory} the
     * command line hands the master.
     *
     * @throws IOException when the address cannot be bound
     */
    public static AdminServer start(ListenAddress address, MasterView view) throws IOException {
        MultiThreadIoEventLoopGroup loop = new MultiThreadIoEventLoopGroup(1,
                Thread.ofPlatform().name("admin").daemon().factory(), NioIoHandler.newFactory());
        try {
            StartTimes starts = new StartTimes();
            History history = new History();
            view.subscribe(event -> {
                if (event instanceof MasterEvent.Ready ready) {
                    starts.observe(ready.startMillis());
                }
            });
            AdminHandler handler = new AdminHandler(view, starts, history, InstantSource.system());
            io.netty.channel.ChannelFuture bound = new ServerBootstrap().group(loop).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new ReadTimeoutHandler(60, TimeUnit.SECONDS),
                                    new HttpServerCodec(8192, 16384, 8192), new HttpObjectAggregator(65536), handler);
                        }
                    })
                    .bind(address.toSocketAddress()).awaitUninterruptibly();
            if (!bound.isSuccess()) {
                throw new IOException("cannot bind the admin address " + address + ": " + bound.cause().getMessage(),
                        bound.cause());
            }
            Channel server = bound.channel();
            loop.next().scheduleAtFixedRate(handler::sample, 0, SAMPLE_MS, TimeUnit.MILLISECONDS);
            int port = ((InetSocketAddress) server.localAddress()).getPort();
            return new AdminServer(loop, server, new ListenAddress(address.host(), port).toString());
        } catch (IOException e) {
            loop.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw e;
        } catch (RuntimeException e) {
            loop.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw new IOException("cannot serve the admin plane on " + address + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String address() {
        return address;
    }

    @Override
    public void close() {
        server.close();
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        LOG.log(System.Logger.Level.DEBUG, "admin plane on " + address + " closed");
    }
}
