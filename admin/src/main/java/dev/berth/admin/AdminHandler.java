package dev.berth.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.master.MasterSnapshot;
import dev.berth.master.MasterView;
import dev.berth.master.Status;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Answers the admin plane's requests, GET and HEAD only:
 *
 * <pre>
 *  /              the status page (one self-contained HTML file: no external assets)
 *  /status.json   what berth status --json prints
 *  /history.json  the charts' last minutes ({@link History})
 *  /metrics       Prometheus text ({@link MetricsText})
 *  /healthz       200 when the master's supervisor answers within 2 s, else 503
 *  /readyz        200 when every pool has its minimum of ready workers (and a ready dispatcher
 *                 if it hands off), else 503 naming the pools that do not
 * </pre>
 *
 * Sharable; runs on the admin event loop, which also owns the {@link History}. Snapshots are
 * asked of the master asynchronously and answered when they arrive, so the loop never waits.
 */
@ChannelHandler.Sharable
final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long HEALTH_TIMEOUT_MS = 2_000;

    private final MasterView view;
    private final StartTimes starts;
    private final History history;
    private final InstantSource clock;
    private final byte[] page;

    AdminHandler(MasterView view, StartTimes starts, History history, InstantSource clock) {
        this.view = view;
        this.starts = starts;
        this.history = history;
        this.clock = clock;
        this.page = resource("page.html");
    }

    /** Adds one sample of the master to the history; on the admin loop, once a second. */
    void sample() {
        long at = clock.millis();
        view.snapshot().orTimeout(HEALTH_TIMEOUT_MS, TimeUnit.MILLISECONDS)
                .thenAccept(s -> history.add(at, s));
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        boolean head = request.method().equals(HttpMethod.HEAD);
        if (!request.method().equals(HttpMethod.GET) && !head) {
            send(ctx, keepAlive, head, HttpResponseStatus.METHOD_NOT_ALLOWED, "text/plain", bytes("GET or HEAD only\n"));
            return;
        }
        String path = request.uri().replaceFirst("[?#].*", "");
        switch (path) {
            case "/", "/index.html" -> send(ctx, keepAlive, head, HttpResponseStatus.OK, "text/html; charset=utf-8", page);
            case "/status.json" -> answer(ctx, keepAlive, head, s -> ok(json(s.status()), "application/json"));
            case "/history.json" -> send(ctx, keepAlive, head, HttpResponseStatus.OK, "application/json",
                    bytes(history.json().toString()));
            case "/metrics" -> answer(ctx, keepAlive, head, s -> ok(MetricsText.render(s, starts), MetricsText.CONTENT_TYPE));
            case "/healthz" -> answer(ctx, keepAlive, head, s -> ok(bytes("ok\n"), "text/plain"));
            case "/readyz" -> answer(ctx, keepAlive, head, AdminHandler::readiness);
            default -> send(ctx, keepAlive, head, HttpResponseStatus.NOT_FOUND, "text/plain",
                    bytes("not found; try /, /status.json, /metrics, /healthz, /readyz\n"));
        }
    }

    private record Reply(HttpResponseStatus status, String type, byte[] body) {
    }

    private static Reply ok(byte[] body, String type) {
        return new Reply(HttpResponseStatus.OK, type, body);
    }

    /** Asks the master for a snapshot and answers from it on this loop; 503 when it does not answer. */
    private void answer(ChannelHandlerContext ctx, boolean keepAlive, boolean head,
                        java.util.function.Function<MasterSnapshot, Reply> reply) {
        CompletableFuture<MasterSnapshot> snapshot = view.snapshot().orTimeout(HEALTH_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        snapshot.whenComplete((s, failure) -> ctx.executor().execute(() -> {
            Reply r = failure == null ? reply.apply(s) : new Reply(HttpResponseStatus.SERVICE_UNAVAILABLE,
                    "text/plain", bytes("the master's supervisor did not answer within " + HEALTH_TIMEOUT_MS + " ms\n"));
            send(ctx, keepAlive, head, r.status(), r.type(), r.body());
        }));
    }

    /** 200 when every pool has its minimum ready (and its dispatcher), 503 with the laggards. */
    static Reply readiness(MasterSnapshot snapshot) {
        List<String> lagging = snapshot.status().pools().stream().filter(p -> {
            long ready = p.workers().stream().filter(w -> w.state().equals("ready")).count();
            boolean dispatcher = !"handoff".equals(p.accept())
                    || p.dispatchers().stream().anyMatch(d -> d.state().equals("ready"));
            return ready < p.min() || !dispatcher;
        }).map(p -> p.name() + ": " + p.workers().stream().filter(w -> w.state().equals("ready")).count()
                + " of at least " + p.min() + " workers ready").toList();
        return lagging.isEmpty() ? ok(bytes("ready\n"), "text/plain")
                : new Reply(HttpResponseStatus.SERVICE_UNAVAILABLE, "text/plain",
                        bytes("not ready: " + String.join("; ", lagging) + "\n"));
    }

    private static void send(ChannelHandlerContext ctx, boolean keepAlive, boolean head, HttpResponseStatus status,
                             String type, byte[] body) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, type)
                .set(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.CACHE_CONTROL, "no-store")
                .set("X-Content-Type-Options", "nosniff")
                .set("Content-Security-Policy", "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'");
        HttpUtil.setKeepAlive(response, keepAlive);
        var written = ctx.writeAndFlush(response);
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    private static byte[] json(Status status) {
        try {
            return JSON.writeValueAsBytes(status);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] resource(String name) {
        try (InputStream in = AdminHandler.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the admin module lacks its resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
