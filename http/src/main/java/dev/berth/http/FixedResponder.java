package dev.berth.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpRequest;

/**
 * Answers every GET and HEAD with the service's fixed 200 response, prebuilt per event loop by
 * {@link LoopCache}: the benchmark path, one buffer duplicate and one write per request.
 * Stateless; any event loop.
 */
final class FixedResponder implements Responder {

    @Override
    public void respond(ChannelHandlerContext ctx, HttpRequest request, boolean head, Persistence persistence,
            LoopCache cache) {
        ctx.write(cache.fixedResponse(ctx.alloc(), persistence, head), ctx.voidPromise());
    }
}
