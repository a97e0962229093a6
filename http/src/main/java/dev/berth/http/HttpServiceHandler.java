package dev.berth.http;

import dev.berth.service.RequestCounter;
import dev.berth.service.OpenConnections;
import dev.berth.service.ServiceContext;
import dev.berth.service.ServiceHandler;
import io.netty.channel.Channel;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.EventExecutor;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One {@code http} service in one worker. Each accepted connection gets
 * {@code IdleStateHandler → RequestDecoder → HttpConnectionHandler}; responses are written as
 * bytes, without Netty's response encoder, so that the fixed response can be a prebuilt buffer.
 *
 * <p>Threads: {@link #initChannel} runs on each connection's event loop; {@link #onDrain} and
 * {@link #close} on the worker's control thread; none blocks. State shared across threads is the
 * draining flag (volatile), the channel group and the per-loop caches (concurrent maps). Ownership:
 * the handler owns the {@link LoopCache}s, one per event loop that has served a connection, and
 * releases them in {@link #close}; the channels belong to their pipelines.
 */
final class HttpServiceHandler implements ServiceHandler {

    private final HttpSettings settings;
    private final RequestCounter requests;
    private final Responder responder;
    private final FixedResponse fixedResponse;
    private final InstantSource clock;
    private final OpenConnections channels = new OpenConnections();
    private final ConcurrentMap<EventExecutor, LoopCache> caches = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    private HttpServiceHandler(HttpSettings settings, ServiceContext context, Responder responder,
            InstantSource clock) {
        this.settings = settings;
        this.requests = context.requests();
        this.responder = responder;
        this.fixedResponse = FixedResponse.of(settings.response(), settings.contentType());
        this.clock = clock;
    }

    /**
     * Creates the handler; with a {@code root}, resolves it (blocking on the file system).
     *
     * @throws java.io.UncheckedIOException when the root does not exist or is not a directory
     */
    static HttpServiceHandler create(HttpSettings settings, ServiceContext context, InstantSource clock) {
        Responder responder = settings.root()
                .<Responder>map(root -> new FileResponder(StaticFiles.open(root, settings.index())))
                .orElseGet(FixedResponder::new);
        return new HttpServiceHandler(settings, context, responder, clock);
    }

    @Override
    public void initChannel(Channel channel) {
        LoopCache cache = caches.computeIfAbsent(channel.eventLoop(), loop -> new LoopCache(clock, fixedResponse));
        RequestDecoder decoder = new RequestDecoder();
        channel.pipeline()
                .addLast("idle", new IdleStateHandler(true, 0, 0,
                        settings.keepAliveTimeout().toMillis(), TimeUnit.MILLISECONDS))
                .addLast("decoder", decoder)
                .addLast("http", new HttpConnectionHandler(this, decoder, cache));
        channels.add(channel);
    }

    /**
     * Marks the service draining, so that every later response says {@code connection: close},
     * and tells each open connection, on its own event loop, to close if it is between requests.
     */
    @Override
    public void onDrain() {
        channels.drain();
    }

    /**
     * Closes every open connection (without waiting) and releases the prebuilt responses, each on
     * its own event loop, or here when that loop has stopped. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        channels.close();
        for (Map.Entry<EventExecutor, LoopCache> entry : caches.entrySet()) {
            EventExecutor loop = entry.getKey();
            LoopCache cache = entry.getValue();
            if (loop.inEventLoop() || loop.isShuttingDown()) {
                cache.release();
            } else {
                try {
                    loop.execute(cache::release);
                } catch (RejectedExecutionException stopped) {
                    cache.release();
                }
            }
        }
    }

    HttpSettings settings() {
        return settings;
    }

    RequestCounter requests() {
        return requests;
    }

    Responder responder() {
        return responder;
    }

    boolean isDraining() {
        return channels.draining();
    }
}
