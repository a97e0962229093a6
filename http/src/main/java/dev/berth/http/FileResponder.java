package dev.berth.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.DefaultFileRegion;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Date;

/**
 * Answers GET and HEAD from a {@link StaticFiles} root: 200 with the file as a zero-copy
 * {@link DefaultFileRegion}, 304 when {@code If-Modified-Since} is not older than the file, 301 to
 * a directory's slash form, 404 and 400.
 *
 * <p>Thread: stateless apart from the shared root; called on the connection's event loop. Blocking:
 * file metadata only; the region opens the file when the transport starts sending it, so a client
 * that pipelines many requests holds no descriptors for the responses still queued. Failure: a file
 * that shrank after the lookup fails the region's transfer, which closes the connection (its
 * {@code content-length} can no longer be kept).
 */
final class FileResponder implements Responder {

    private final StaticFiles files;

    FileResponder(StaticFiles files) {
        this.files = files;
    }

    @Override
    public void respond(ChannelHandlerContext ctx, HttpRequest request, boolean head, Persistence persistence,
            LoopCache cache) {
        switch (files.lookup(request.uri())) {
            case FileLookup.Found found -> respondWithFile(ctx, request, found, head, persistence, cache);
            case FileLookup.Redirect redirect -> ctx.write(
                    ResponseHead.start(ctx.alloc(), HttpResponseStatus.MOVED_PERMANENTLY, cache.date())
                            .header("location", redirect.location())
                            .endWithText("Moved Permanently\n", persistence, head),
                    ctx.voidPromise());
            case FileLookup.NotFound notFound -> ctx.write(ResponseHead.error(
                    ctx.alloc(), HttpResponseStatus.NOT_FOUND, cache.date(), persistence, head), ctx.voidPromise());
            case FileLookup.Malformed malformed -> ctx.write(ResponseHead.error(
                    ctx.alloc(), HttpResponseStatus.BAD_REQUEST, cache.date(), persistence, head), ctx.voidPromise());
        }
    }

    private static void respondWithFile(ChannelHandlerContext ctx, HttpRequest request, FileLookup.Found file,
            boolean head, Persistence persistence, LoopCache cache) {
        String lastModified = DateFormatter.format(new Date(file.lastModifiedMillis()));
        if (notModifiedSince(request, file.lastModifiedMillis())) {
            ctx.write(ResponseHead.start(ctx.alloc(), HttpResponseStatus.NOT_MODIFIED, cache.date())
                    .header("last-modified", lastModified)
                    .end(persistence), ctx.voidPromise());
            return;
        }
        ctx.write(ResponseHead.start(ctx.alloc(), HttpResponseStatus.OK, cache.date())
                .header("content-type", file.contentType())
                .contentLength(file.length())
                .header("last-modified", lastModified)
                .end(persistence), ctx.voidPromise());
        if (!head && file.length() > 0) {
            ctx.write(new DefaultFileRegion(file.file(), 0, file.length()), ctx.voidPromise());
        }
    }

    /** RFC 9110 §13.1.3: the file's time, in whole seconds as HTTP dates are, is not later. */
    private static boolean notModifiedSince(HttpRequest request, long lastModifiedMillis) {
        String since = request.headers().get(HttpHeaderNames.IF_MODIFIED_SINCE);
        if (since == null || request.headers().contains(HttpHeaderNames.IF_NONE_MATCH)) {
            return false;
        }
        Date date = DateFormatter.parseHttpDate(since);
        return date != null && Math.floorDiv(lastModifiedMillis, 1000L) <= Math.floorDiv(date.getTime(), 1000L);
    }
}
