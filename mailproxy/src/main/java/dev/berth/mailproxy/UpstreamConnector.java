package dev.berth.mailproxy;

import dev.berth.config.HostPort;
import dev.berth.service.Outbound;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.ReflectiveChannelFactory;
import io.netty.handler.ssl.SslContext;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Connects to an upstream on the client connection's own event loop (so that both legs of a
 * proxied session share one thread) and logs in there with a {@link LoginDialogue}. TCP_NODELAY is
 * on. A host name is resolved on a virtual thread, never on the event loop; IP literals need no
 * lookup. The whole attempt (lookup, connect, TLS, login) is bounded by the connect timeout.
 * Thread-safe: holds only immutable settings.
 */
final class UpstreamConnector {

    private final UpstreamTls tls;
    private final SslContext tlsContext;
    private final Duration timeout;
    private final Outbound outbound;

    /**
     * @param tlsContext the client TLS context, required unless {@code tls} is NONE
     * @param outbound where connections leave from (a tenant group's address for a group's instance)
     */
    UpstreamConnector(UpstreamTls tls, SslContext tlsContext, Duration timeout, Outbound outbound) {
        this.tls = Objects.requireNonNull(tls, "tls");
        this.tlsContext = tlsContext;
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.outbound = Objects.requireNonNull(outbound, "outbound");
        if (tls != UpstreamTls.NONE && tlsContext == null) {
            throw new IllegalArgumentException("tlsContext: required for upstream TLS");
        }
    }

    /**
     * Starts a login at {@code upstream}. Call on the client's event loop; returns at once.
     *
     * @param client the client connection; its event loop and channel type are reused
     * @return completes on the client's event loop with the logged-in upstream, or fails with a
     *     {@link LoginFailedException} carrying the reply for the client
     */
    Future<LoginResult> connect(Channel client, HostPort upstream, LoginDialogue dialogue) {
        EventLoop loop = client.eventLoop();
        Promise<LoginResult> promise = loop.newPromise();
        var timer = loop.schedule(() -> {
            promise.tryFailure(new LoginFailedException(dialogue.unavailable("timed out after " + timeout.toMillis() + " ms")));
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        promise.addListener(f -> timer.cancel(false));
        byte[] literal = NetUtil.createByteArrayFromIpAddressString(upstream.host());
        if (literal != null) {
            try {
                open(client, new InetSocketAddress(InetAddress.getByAddress(literal), upstream.port()), upstream, dialogue, promise);
            } catch (UnknownHostException e) {
                promise.tryFailure(new LoginFailedException(dialogue.unavailable("bad address")));
            }
        } else {
            Thread.ofVirtual().name("resolve " + upstream.host()).start(() -> {
                try {
                    InetAddress address = InetAddress.getByName(upstream.host());
                    loop.execute(() -> open(client, new InetSocketAddress(address, upstream.port()), upstream, dialogue, promise));
                } catch (UnknownHostException e) {
                    loop.execute(() -> promise.tryFailure(new LoginFailedException(dialogue.unavailable("unknown host"))));
                }
            });
        }
        return promise;
    }

    private void open(Channel client, InetSocketAddress address, HostPort upstream, LoginDialogue dialogue,
            Promise<LoginResult> promise) {
        if (promise.isDone()) {
            return;
        }
        @SuppressWarnings("unchecked")
        Class<? extends Channel> type = (Class<? extends Channel>) client.getClass();
        Bootstrap bootstrap = new Bootstrap()
                .group(client.eventLoop())
                .channelFactory(new ReflectiveChannelFactory<>(type))
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()))
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (tls == UpstreamTls.TLS) {
                            ch.pipeline().addLast("tls", tlsContext.newHandler(ch.alloc(), upstream.host(), upstream.port()));
                        }
                        ch.pipeline().addLast("login", new UpstreamLoginHandler(dialogue, promise,
                                tls == UpstreamTls.STARTTLS ? tlsContext : null, upstream));
                    }
                });
        Future<Channel> connect = outbound.connect(bootstrap, address);
        connect.addListener(f -> {
            if (!f.isSuccess()) {
                promise.tryFailure(new LoginFailedException(dialogue.unavailable(describe(f.cause()))));
            }
        });
        promise.addListener(f -> {
            if (!f.isSuccess()) {
                connect.addListener(c -> {
                    if (c.isSuccess()) {
                        connect.getNow().close();
                    }
                });
            }
        });
    }

    private static String describe(Throwable cause) {
        String message = cause.getMessage();
        return message == null ? cause.getClass().getSimpleName() : message.replaceAll("[\\r\\n]", " ");
    }

}
