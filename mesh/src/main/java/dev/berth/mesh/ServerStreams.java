package dev.berth.mesh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2EventAdapter;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.collection.IntObjectMap;
import java.nio.charset.StandardCharsets;
import java.util.function.LongSupplier;

/**
 * The answering side of one proxy-to-proxy connection ({@link MeshWire}): gathers each call's
 * HEADERS and DATA, runs it through the {@link ProxyCore} on a local worker, and writes the answer
 * on the same stream. One instance per connection, confined to its event loop; answers computed on
 * other threads are brought back to it.
 */
final class ServerStreams extends Http2EventAdapter {

    /** Runs inbound calls; the {@link ProxyCore} in the proxy, a stand-in in tests. */
    interface Executor {
        Runnable serve(Exchange.Request request, Exchange.Origin origin);
    }

    private final String node;
    private final Executor executor;
    private final LongSupplier nanos;
    private final IntObjectMap<Inbound> streams = new IntObjectHashMap<>();
    private Http2ConnectionHandler handler;

    private static final class Inbound {
        final Http2Headers headers;
        ByteBuf body;
        Runnable cancel;

        Inbound(Http2Headers headers) {
            this.headers = headers;
        }
    }

    ServerStreams(String node, Executor executor, LongSupplier nanos) {
        this.node = node;
        this.executor = executor;
        this.nanos = nanos;
    }

    /** Set once, before the channel is active. */
    void handler(Http2ConnectionHandler handler) {
        this.handler = handler;
    }

    @Override
    public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int padding,
                              boolean endOfStream) {
        String path = String.valueOf(headers.path());
        if (path.equals(MeshWire.HELLO_PATH)) {
            respond(ctx, streamId, 200, new byte[0]);
        } else if (!path.startsWith(MeshWire.CALL_PATH) || path.length() == MeshWire.CALL_PATH.length()) {
            respond(ctx, streamId, 404, ("no such path " + path).getBytes(StandardCharsets.UTF_8));
        } else {
            streams.put(streamId, new Inbound(headers));
            if (endOfStream) {
                dispatch(ctx, streamId, new byte[0]);
            }
        }
    }

    @Override
    public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int streamDependency,
                              short weight, boolean exclusive, int padding, boolean endOfStream) {
        onHeadersRead(ctx, streamId, headers, padding, endOfStream);
    }

    @Override
    public int onDataRead(ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding, boolean endOfStream)
            throws Http2Exception {
        int processed = data.readableBytes() + padding;
        Inbound in = streams.get(streamId);
        if (in == null) {
            return processed;
        }
        if (in.body == null && endOfStream) {
            dispatch(ctx, streamId, ByteBufUtil.getBytes(data));
            return processed;
        }
        if (in.body == null) {
            in.body = ctx.alloc().heapBuffer(data.readableBytes() * 2);
        }
        in.body.writeBytes(data);
        if (endOfStream) {
            byte[] bytes = ByteBufUtil.getBytes(in.body);
            in.body.release();
            in.body = null;
            dispatch(ctx, streamId, bytes);
        }
        return processed;
    }

    @Override
    public void onRstStreamRead(ChannelHandlerContext ctx, int streamId, long errorCode) {
        Inbound in = streams.remove(streamId);
        if (in != null) {
            release(in);
            if (in.cancel != null) {
                in.cancel.run();
            }
        }
    }

    /** The connection closed: every call still running here is cancelled. */
    void closed() {
        for (Inbound in : streams.values()) {
            release(in);
            if (in.cancel != null) {
                in.cancel.run();
            }
        }
        streams.clear();
    }

    private void dispatch(ChannelHandlerContext ctx, int streamId, byte[] payload) {
        Inbound in = streams.get(streamId);
        Http2Headers h = in.headers;
        String group = String.valueOf(h.path()).substring(MeshWire.CALL_PATH.length());
        long micros = parse(h.get(MeshWire.DEADLINE), 5_000_000L);
        Exchange.Request request = new Exchange.Request(group, text(h.get(MeshWire.KEY)), text(h.get(MeshWire.TYPE)),
                text(h.get(MeshWire.FROM)), payload, nanos.getAsLong() + micros * 1000);
        in.cancel = executor.serve(request, outcome -> {
            if (ctx.executor().inEventLoop()) {
                answer(ctx, streamId, outcome);
            } else {
                ctx.executor().execute(() -> answer(ctx, streamId, outcome));
            }
        });
    }

    private void answer(ChannelHandlerContext ctx, int streamId, Outcome outcome) {
        if (streams.remove(streamId) == null) {
            return;
        }
        switch (outcome) {
            case Outcome.Ok ok -> respond(ctx, streamId, 200, ok.payload());
            case Outcome.HandlerError e -> respond(ctx, streamId, 502, bytes(e.message()));
            case Outcome.Unavailable u -> respond(ctx, streamId, 503, bytes(u.message()));
            case Outcome.Timeout t -> respond(ctx, streamId, 504, bytes("no reply before the deadline"));
            case Outcome.Cancelled c -> handler.resetStream(ctx, streamId, Http2Error.CANCEL.code(), ctx.newPromise());
        }
        handler.flush(ctx);
    }

    private void respond(ChannelHandlerContext ctx, int streamId, int status, byte[] body) {
        Http2Stream stream = handler.connection().stream(streamId);
        if (stream == null || stream.state() == Http2Stream.State.CLOSED) {
            return;
        }
        Http2Headers headers = new DefaultHttp2Headers().status(Integer.toString(status)).set(MeshWire.NODE, node);
        handler.encoder().writeHeaders(ctx, streamId, headers, 0, body.length == 0, ctx.newPromise());
        if (body.length > 0) {
            handler.encoder().writeData(ctx, streamId, Unpooled.wrappedBuffer(body), 0, true, ctx.newPromise());
        }
        handler.flush(ctx);
    }

    private static void release(Inbound in) {
        if (in.body != null) {
            in.body.release();
            in.body = null;
        }
    }

    private static long parse(CharSequence text, long fallback) {
        try {
            return text == null ? fallback : Math.max(0, Long.parseLong(text.toString()));
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static String text(CharSequence value) {
        return value == null ? "" : value.toString();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
