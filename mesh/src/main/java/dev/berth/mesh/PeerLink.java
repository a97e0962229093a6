package dev.berth.mesh;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.Http2Exception;
import java.net.InetSocketAddress;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The enduring connections (1 or 2) from this proxy to one peer address, all on one event loop:
 * connects, says hello, pings every {@code pingInterval}, declares the peer down after {@code
 * pingFailures} intervals without an answer, and reconnects with jittered exponential back-off
 * (100 ms doubling to 5 s, a random share of it) until the peer answers again. Calls go round-robin
 * over the usable connections.
 *
 * <p>Every method may be called from any thread; the state is confined to the link's event loop.
 */
final class PeerLink {

    private static final System.Logger LOG = System.getLogger(PeerLink.class.getName());
    private static final long MIN_BACKOFF_MS = 100;
    private static final long MAX_BACKOFF_MS = 5000;

    /** What the link tells the proxy. */
    interface Listener {
        /** The peer at this address said its name. */
        void named(PeerLink link, String node);

        /** The link's availability changed. */
        void up(PeerLink link, boolean up);
    }

    /**
     * @param self this proxy's node name
     * @param connections how many connections to keep, 1 or 2
     * @param pingNanos how often to ping
     * @param pingFailures missed intervals before the peer is down
     * @param dialer how a connection is opened (where it leaves from)
     */
    record Options(String self, int connections, long pingNanos, int pingFailures, ProxyHooks.PeerDialer dialer) {
    }

    private final InetSocketAddress address;
    private final EventLoop loop;
    private final Options options;
    private final LongSupplier nanos;
    private final Listener listener;
    private final Conn[] conns;
    private int next;
    /** When {@link #pingAll} last ran (event loop only). */
    private long lastPingAll;
    private volatile String node = "";
    private volatile boolean up;
    private volatile boolean closed;

    private final class Conn {
        final int index;
        ClientStreams streams;
        Channel channel;
        long lastAck;
        long backoff = MIN_BACKOFF_MS;
        boolean named;

        Conn(int index) {
            this.index = index;
        }
    }

    PeerLink(InetSocketAddress address, EventLoop loop, Options options, LongSupplier nanos, Listener listener) {
        this.address = address;
        this.loop = loop;
        this.options = options;
        this.nanos = nanos;
        this.listener = listener;
        this.conns = new Conn[options.connections()];
        for (int i = 0; i < conns.length; i++) {
            conns[i] = new Conn(i);
        }
    }

    InetSocketAddress address() {
        return address;
    }

    /** The peer's node name, empty until it said hello. */
    String node() {
        return node;
    }

    boolean up() {
        return up;
    }

    /** Connections open now. */
    int connections() {
        int n = 0;
        for (Conn c : conns) {
            Channel ch = c.channel;
            n += ch != null && ch.isActive() ? 1 : 0;
        }
        return n;
    }

    void start() {
        loop.execute(() -> {
            for (Conn c : conns) {
                try {
                    connect(c);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.ERROR, "mesh peer " + address + ": cannot connect", e);
                    retry(c);
                }
            }
            loop.scheduleAtFixedRate(this::pingAll, options.pingNanos(), options.pingNanos(), TimeUnit.NANOSECONDS);
        });
    }

    /**
     * Sends a call over a usable connection, or fails it at once when there is none. On the link's
     * event loop (where the proxy reads its slots) the call is written before this returns, and
     * {@code done} may already have been called.
     */
    Runnable send(Exchange.Request request, Consumer<Outcome> done) {
        int[] stream = {0};
        ClientStreams[] on = {null};
        Runnable open = () -> {
            for (int i = 0; i < conns.length; i++) {
                Conn c = conns[(next + i) % conns.length];
                if (c.named && c.streams != null && c.streams.usable()) {
                    next = c.index + 1;
                    on[0] = c.streams;
                    stream[0] = c.streams.call(request, done);
                    return;
                }
            }
            done.accept(new Outcome.Unavailable(node, "node " + (node.isEmpty() ? address : node) + " is down"));
        };
        if (loop.inEventLoop()) {
            open.run();
        } else {
            loop.execute(open);
        }
        return () -> loop.execute(() -> {
            if (on[0] != null && stream[0] != 0) {
                on[0].cancel(stream[0]);
            }
        });
    }

    /** Closes the connections and stops reconnecting. */
    void close() {
        closed = true;
        loop.execute(() -> {
            for (Conn c : conns) {
                if (c.channel != null) {
                    c.channel.close();
                }
            }
        });
    }

    private void connect(Conn c) {
        if (closed) {
            return;
        }
        ClientStreams streams = new ClientStreams(options.self(), nanos, new ClientStreams.Events() {
            @Override
            public void onHello(String peer) {
                c.named = true;
                c.lastAck = nanos.getAsLong();
                c.backoff = MIN_BACKOFF_MS;
                node = peer;
                listener.named(PeerLink.this, peer);
                refresh();
            }

            @Override
            public void onPingAck(long sent) {
                c.lastAck = nanos.getAsLong();
                refresh();
            }

            @Override
            public void onDrain() {
                c.named = false;
                refresh();
                c.channel.close();
            }
        });
        Http2ConnectionHandler handler = new Http2ConnectionHandlerBuilder().server(false).frameListener(streams)
                .initialSettings(MeshWire.settings()).gracefulShutdownTimeoutMillis(MeshWire.DRAIN_MILLIS).build();
        Bootstrap bootstrap = new Bootstrap().group(loop).channel(EpollSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 2000)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(handler, new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelActive(ChannelHandlerContext ctx) {
                                // the HTTP/2 handler before this one has written its preface and
                                // SETTINGS by now: a connect future's listeners run before that
                                opened(c, ch, streams, handler);
                                ctx.fireChannelActive();
                            }
                        });
                    }
                });
        c.streams = streams;
        c.channel = null;
        c.named = false;
        options.dialer().connect(bootstrap, address).addListener(f -> {
            if (!f.isSuccess()) {
                if (c.backoff == MIN_BACKOFF_MS) {
                    LOG.log(System.Logger.Level.INFO, "mesh peer " + (node.isEmpty() ? address : node)
                            + ": cannot connect (" + f.cause() + "); retrying with back-off");
                }
                retry(c);
            }
        });
    }

    /** The event loop: connection {@code c} is up; say hello, and reconnect once it closes. */
    private void opened(Conn c, Channel channel, ClientStreams streams, Http2ConnectionHandler handler) {
        c.channel = channel;
        channel.closeFuture().addListener(closed -> {
            streams.closed("the connection to " + (node.isEmpty() ? address : node) + " closed");
            c.named = false;
            refresh();
            retry(c);
        });
        if (closed) {
            channel.close();
            return;
        }
        streams.attach(handler, channel.pipeline().context(handler));
        try {
            handler.connection().local().flowController().incrementWindowSize(handler.connection().connectionStream(),
                    MeshWire.WINDOW);
        } catch (Http2Exception e) {
            channel.close();
            return;
        }
        streams.hello();
    }

    private void retry(Conn c) {
        if (closed) {
            return;
        }
        long delay = ThreadLocalRandom.current().nextLong(c.backoff / 2, c.backoff + 1);
        c.backoff = Math.min(MAX_BACKOFF_MS, c.backoff * 2);
        loop.schedule(() -> connect(c), delay, TimeUnit.MILLISECONDS);
    }

    private void pingAll() {
        long now = nanos.getAsLong();
        // this process did not run for two ping intervals (stopped, a paused VM): the pings it did
        // not send were not missed by the peer, so the count starts again
        boolean paused = lastPingAll != 0 && now - lastPingAll > 2 * options.pingNanos();
        lastPingAll = now;
        for (Conn c : conns) {
            if (paused) {
                c.lastAck = now;
            }
            if (c.named && c.channel != null && c.channel.isActive()) {
                if (now - c.lastAck > options.pingNanos() * options.pingFailures()) {
                    LOG.log(System.Logger.Level.WARNING, "mesh peer " + node + " at " + address + " missed "
                            + options.pingFailures() + " pings; closing the connection");
                    c.named = false;
                    c.channel.close();
                } else {
                    c.streams.ping();
                }
            }
        }
        refresh();
    }

    private void refresh() {
        boolean now = false;
        for (Conn c : conns) {
            now |= c.named && c.channel != null && c.channel.isActive();
        }
        if (now != up) {
            up = now;
            LOG.log(System.Logger.Level.INFO, "mesh peer " + (node.isEmpty() ? address : node) + (now ? " up" : " down"));
            listener.up(this, now);
        }
    }
}
