package dev.berth.mesh;

import dev.berth.service.RequestCounter;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
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
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One portal connection: {@code GET /portal} answers JSON, {@code GET /} HTML, anything else 404.
 * Runs on the connection's event loop; the mesh calls complete elsewhere and the answer is written
 * back on the loop.
 */
final class PortalHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private final Portal portal;
    private final RequestCounter requests;

    PortalHandler(Portal portal, RequestCounter requests) {
        this.portal = portal;
        this.requests = requests;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        if (request.method() != HttpMethod.GET || !(uri.path().equals("/portal") || uri.path().equals("/"))) {
            respond(ctx, HttpResponseStatus.NOT_FOUND, "text/plain", "not found\n", keepAlive);
            return;
        }
        String key = first(uri, "key", "alice");
        String type = first(uri, "type", "*");
        boolean json = uri.path().equals("/portal");
        portal.compose(key, type).whenComplete((page, failure) -> ctx.executor().execute(() -> {
            requests.requestServed();
            if (failure != null) {
                respond(ctx, HttpResponseStatus.INTERNAL_SERVER_ERROR, "text/plain", failure.getMessage() + "\n", keepAlive);
            } else if (json) {
                respond(ctx, HttpResponseStatus.OK, "application/json", page.toString() + "\n", keepAlive);
            } else {
                respond(ctx, HttpResponseStatus.OK, "text/html; charset=utf-8", Portal.html(page, type), keepAlive);
            }
        }));
    }

    private static String first(QueryStringDecoder uri, String name, String fallback) {
        List<String> values = uri.parameters().get(name);
        return values == null || values.isEmpty() ? fallback : values.getFirst();
    }

    private static void respond(ChannelHandlerContext ctx, HttpResponseStatus status, String type, String body,
                                boolean keepAlive) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
        HttpUtil.setContentLength(response, response.content().readableBytes());
        HttpUtil.setKeepAlive(response, keepAlive);
        var written = ctx.writeAndFlush(response);
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
