package dev.berth.mailproxy;

import dev.berth.scan.ScanChain;
import dev.berth.scan.Spool;
import dev.berth.service.DrainEvent;
import dev.berth.service.OpenConnections;
import dev.berth.service.ServiceContext;
import dev.berth.service.ServiceHandler;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.handler.timeout.IdleStateHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * One {@code pop3-proxy} or {@code imap-proxy} service in one worker. Each accepted connection
 * gets {@code IdleStateHandler → ProxyFrontend}; after the login the frontend hands both legs to
 * {@link RelayHandler}s. Keeps the open connections for {@link #onDrain}. Owns the TLS contexts,
 * the scan chain and the virtual-thread executor scans run on; {@link #close} releases them. {@link #initChannel} runs on the connection's event
 * loop and does not block.
 */
final class ProxyServiceHandler implements ServiceHandler {

    private final ProxyRuntime runtime;
    private final Optional<ScanChain> chain;
    private final ExecutorService scanExecutor;
    private final OpenConnections channels = new OpenConnections();

    private ProxyServiceHandler(ProxyRuntime runtime, Optional<ScanChain> chain, ExecutorService scanExecutor) {
        this.runtime = runtime;
        this.chain = chain;
        this.scanExecutor = scanExecutor;
    }

    /** The scanner, its executor and a spool (opened now: blocking), when the service scans. */
    private static Optional<ScanRuntime> scanRuntime(ProxySettings settings, Optional<ScanChain> chain, ExecutorService executor) {
        return chain.map(c -> new ScanRuntime(new ChainScanner(c), executor, Spool.openDefault(), settings.scanMaxSize()));
    }

    /**
     * Builds the service: loads the user map and the TLS identity (blocking file I/O; call from
     * {@code ServiceKind.newHandler}).
     *
     * @throws UncheckedIOException when the user map or a TLS file cannot be read
     * @throws IllegalArgumentException when the user map has a bad line
     */
    static ProxyServiceHandler create(ProxySettings settings, ServiceContext context) {
        Optional<UserMap> userMap = settings.route() instanceof Route.UserMap map
                ? Optional.of(UserMap.load(map.file(), settings.protocol().defaultPort()))
                : Optional.empty();
        Optional<SslContext> clientTls = settings.tls().map(tls -> {
            try {
                return tls.serverContext();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        SslContext upstreamTls = settings.upstreamTls() == UpstreamTls.NONE ? null : upstreamContext(settings.upstreamTlsVerify());
        Optional<ScanChain> chain = settings.scan().filter(scan -> !scan.isEmpty()).map(scan -> scan.newChain(
                (scanner, verdict) -> context.counters().counter(dev.berth.scoreboard.CounterFamily.SCAN_VERDICTS,
                        context.serviceName(), scanner, verdict).increment()));
        ExecutorService executor = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name(context.serviceName() + "-scan-", 0).factory());
        ProxyRuntime runtime = new ProxyRuntime(settings, UpstreamRouter.of(settings, userMap),
                new UpstreamConnector(settings.upstreamTls(), upstreamTls, settings.connectTimeout(), context.outbound()),
                clientTls, scanRuntime(settings, chain, executor), context.requests());
        return new ProxyServiceHandler(runtime, chain, executor);
    }

    private static SslContext upstreamContext(boolean verify) {
        try {
            SslContextBuilder builder = SslContextBuilder.forClient();
            if (!verify) {
                builder.trustManager(InsecureTrustManagerFactory.INSTANCE);
            } else {
                builder.endpointIdentificationAlgorithm("HTTPS");
            }
            return builder.build();
        } catch (SSLException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void initChannel(Channel channel) {
        // Netty's default, made explicit: a proxy with Nagle on costs a delayed ACK per response
        channel.config().setOption(ChannelOption.TCP_NODELAY, true);
        channel.pipeline()
                .addLast("idle", new IdleStateHandler(0, 0, runtime.settings().idleTimeout().toMillis(), TimeUnit.MILLISECONDS))
                .addLast("frontend", new ProxyFrontend(runtime));
        channels.add(channel);
        if (channels.draining()) {
            channel.pipeline().fireUserEventTriggered(DrainEvent.INSTANCE);
        }
    }

    /**
     * Tells every open connection that the worker drains (a {@link DrainEvent}): those at the
     * login prompt close with a goodbye, relayed sessions run on. Called on the worker's control
     * thread; does not block.
     */
    @Override
    public void onDrain() {
        channels.drain();
    }

    @Override
    public void close() {
        scanExecutor.shutdownNow();
        chain.ifPresent(ScanChain::close);
        runtime.scan().ifPresent(scan -> scan.spool().close());
    }
}
