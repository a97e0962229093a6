package dev.berth.tenancy;

import dev.berth.config.PortRange;
import dev.berth.posix.TcpConnections;
import dev.berth.service.Outbound;
import dev.berth.service.OutboundRefusedException;
import dev.berth.service.OutboundSocket;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link Outbound} for a tenant group's instance (docs/adr/0015): every connection binds the
 * group's address of the target's family with IP_BIND_ADDRESS_NO_PORT (the port is chosen at
 * connect, per 4-tuple, so the group's address does not run out of ports), takes its port from the
 * group's {@code ephemeral-ports} with IP_LOCAL_PORT_RANGE where the kernel has it, and follows
 * {@code source-address} when the group has no usable address: {@code enforce} fails with {@link
 * OutboundRefusedException}, {@code prefer} connects from the kernel's choice and logs that once.
 *
 * <p>Netty epoll channels only (the option needs the descriptor before bind). Blocking sockets
 * ({@link #open}) are epoll channels on {@code loops} read through a {@link BridgedSocket}.
 * Thread-safe.
 */
public final class GroupOutbound implements Outbound {

    private static final System.Logger LOG = System.getLogger(GroupOutbound.class.getName());

    private final SourceAddresses sources;
    private final EventLoopGroup loops;
    private final Set<String> said = ConcurrentHashMap.newKeySet();

    /**
     * @param sources the group's addresses and policy
     * @param loops where the channels of {@link #open} run (the worker's event loops)
     */
    public GroupOutbound(SourceAddresses sources, EventLoopGroup loops) {
        this.sources = sources;
        this.loops = loops;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException when the bootstrap's handler is not sharable: a second
     *     attempt (from the kernel's choice, after the group's address failed to bind) adds it to
     *     a second channel. A {@link ChannelInitializer} is sharable.
     */
    /**
     * The outbound of a group's instance in a worker: blocking sockets run on one event-loop
     * thread of the process's own ("outbound", daemon, made on first use).
     */
    public static GroupOutbound of(SourceAddresses sources) {
        return new GroupOutbound(sources, SharedLoop.LOOPS);
    }

    /** The process's event loop for blocking outbound sockets, made when first needed. */
    private static final class SharedLoop {
        static final EventLoopGroup LOOPS = new io.netty.channel.MultiThreadIoEventLoopGroup(1,
                new io.netty.util.concurrent.DefaultThreadFactory("outbound", true),
                io.netty.channel.epoll.EpollIoHandler.newFactory());
    }

    @Override
    public Future<Channel> connect(Bootstrap bootstrap, InetSocketAddress target) {
        ChannelHandler handler = bootstrap.config().handler();
        if (handler instanceof io.netty.channel.ChannelHandlerAdapter adapter && !adapter.isSharable()) {
            throw new IllegalArgumentException("the bootstrap's handler must be sharable, like a ChannelInitializer");
        }
        Promise<Channel> promise = bootstrap.config().group().next().newPromise();
        attempt(bootstrap, target, sources.choose(target.getAddress()), promise);
        return promise;
    }

    private void attempt(Bootstrap bootstrap, InetSocketAddress target, SourceAddresses.Choice choice,
                         Promise<Channel> promise) {
        Bootstrap b = bootstrap.clone();
        switch (choice) {
            case SourceAddresses.Refuse refuse -> {
                LOG.log(Level.WARNING, refuse.why() + "; not connecting to " + target);
                promise.tryFailure(new OutboundRefusedException(refuse.why()));
                return;
            }
            case SourceAddresses.Kernel kernel -> {
                if (said.add(kernel.why())) {
                    LOG.log(Level.WARNING, kernel.why());
                }
                b.handler(withPorts(bootstrap.config().handler(), kernel.ports()));
            }
            case SourceAddresses.Bind bind -> b.localAddress(new InetSocketAddress(bind.source(), 0))
                    .option(EpollChannelOption.IP_BIND_ADDRESS_NO_PORT, true)
                    .handler(withPorts(bootstrap.config().handler(), bind.ports()));
        }
        ChannelFuture connect = b.connect(target);
        connect.addListener(f -> {
            if (f.isSuccess()) {
                promise.trySuccess(connect.channel());
            } else if (choice instanceof SourceAddresses.Bind bind && unbindable(f.cause())) {
                attempt(bootstrap, target, sources.onBindFailure(bind.source(), String.valueOf(f.cause().getMessage())),
                        promise);
            } else {
                promise.tryFailure(f.cause());
            }
        });
    }

    /** The address left the host (EADDRNOTAVAIL at bind). */
    private static boolean unbindable(Throwable cause) {
        return cause instanceof BindException
                || String.valueOf(cause.getMessage()).contains("Cannot assign requested address");
    }

    /** The caller's handler, after IP_LOCAL_PORT_RANGE is set on the new channel's descriptor. */
    private static ChannelHandler withPorts(ChannelHandler handler, Optional<PortRange> ports) {
        if (ports.isEmpty()) {
            return handler;
        }
        return new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                if (ch instanceof EpollSocketChannel epoll) {
                    TcpConnections.localPortRange(epoll.fd().intValue(), ports.get().first(), ports.get().last());
                }
                if (handler != null) {
                    ch.pipeline().addLast(handler);
                }
            }
        };
    }

    @Override
    public OutboundSocket open(InetSocketAddress target, Duration connectTimeout, Duration readTimeout) throws IOException {
        BridgedSocket.Bridge bridge = new BridgedSocket.Bridge();
        Bootstrap bootstrap = new Bootstrap().group(loops).channel(EpollSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
                .handler(bridge);
        Future<Channel> connect = connect(bootstrap, target);
        try {
            if (!connect.await(connectTimeout.toMillis() + 1000)) {
                connect.cancel(false);
                throw new SocketTimeoutException("connect to " + target + " timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while connecting to " + target, e);
        }
        if (!connect.isSuccess()) {
            throw connect.cause() instanceof IOException io ? io : new IOException(connect.cause());
        }
        return new BridgedSocket(connect.getNow(), bridge, readTimeout);
    }
}
