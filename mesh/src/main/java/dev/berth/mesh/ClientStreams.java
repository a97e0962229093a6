package dev.berth.mesh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2EventAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.collection.IntObjectMap;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The calling side of one proxy-to-proxy connection ({@link MeshWire}): opens a stream per call,
 * matches each reply to its call by stream id (replies come in any order), cancels with
 * RST_STREAM, pings, and fails every open call with {@link Outcome.Unavailable} when the connection
 * ends or the peer drains it. Confined to the connection's event loop: callers on other threads go
 * through {@link #send}, which hops onto it.
 */
final class ClientStreams extends Http2EventAdapter {

    private static final System.Logger LOG = System.getLogger(ClientStreams.class.getName());
    private static final AsciiString POST = AsciiString.cached("POST");
    private static final AsciiString GET = AsciiString.cached("GET");
    private static final AsciiString HTTP = AsciiString.cached("http");

    /** What the connection tells its owner. */
    interface Events {
        /** The peer answered the hello: its node name. */
        void onHello(String node);

        /** A ping came back. */
        void onPingAck(long sentNanos);

        /** The peer sent GOAWAY: no new streams on this connection. */
        void onDrain();
    }

    private final String self;
    private final LongSupplier nanos;
    private final Events events;
    private final IntObjectMap<Open> open = new IntObjectHashMap<>();
    private Http2ConnectionHandler handler;
    private ChannelHandlerContext ctx;
    private boolean draining;

    private static final class Open {
        final Consumer<Outcome> done;
        int status;
        String node = "";
        ByteBuf body;

        Open(Consumer<Outcome> done) {
            this.done = done;
        }
    }

    ClientStreams(String self, LongSupplier nanos, Events events) {
        this.self = self;
        this.nanos = nanos;
        this.events = events;
    }

    /** Set once the handler is in the pipeline. */
    void attach(Http2ConnectionHandler handler, ChannelHandlerContext ctx) {
        this.handler = handler;
        this.ctx = ctx;
    }

    /** Whether new calls may go on this connection. */
    boolean usable() {
        return ctx != null && ctx.channel().isActive() && !draining;
    }

    int openStreams() {
        return open.size();
    }

    /**
     * Event loop only: opens a stream for the call.
     *
     * @return its stream id, or 0 when the connection cannot take it ({@code done} then got the reason)
     */
    int call(Exchange.Request request, Consumer<Outcome> done) {
        if (!usable()) {
            done.accept(new Outcome.Unavailable("", "the connection is closed or draining"));
            return 0;
        }
        long micros = Math.max(0, (request.deadlineNanos() - nanos.getAsLong()) / 1000);
        Http2Headers headers = new DefaultHttp2Headers().method(POST).scheme(HTTP)
                .path(MeshWire.CALL_PATH + request.group())
                .set(MeshWire.KEY, request.key()).set(MeshWire.TYPE, request.type())
                .set(MeshWire.FROM, self).set(MeshWire.DEADLINE, Long.toString(micros));
        int streamId = open(headers, request.payload(), done);
        handler.flush(ctx);
        return streamId;
    }

    /** Event loop only: asks the peer its name. */
    void hello() {
        open(new DefaultHttp2Headers().method(GET).scheme(HTTP).path(MeshWire.HELLO_PATH), new byte[0], outcome -> {
            if (outcome instanceof Outcome.Ok ok) {
                events.onHello(ok.node());
            }
        });
        handler.flush(ctx);
    }

    /** Event loop only: gives up a call; the peer drops its answer. */
    void cancel(int streamId) {
        if (open.remove(streamId) != null && ctx.channel().isActive()) {
            handler.resetStream(ctx, streamId, Http2Error.CANCEL.code(), ctx.newPromise());
            handler.flush(ctx);
        }
    }

    /** Event loop only: one PING carrying the send time. */
    void ping() {
        if (ctx != null && ctx.channel().isActive()) {
            handler.encoder().writePing(ctx, false, nanos.getAsLong(), ctx.newPromise());
            handler.flush(ctx);
        }
    }

    private int open(Http2Headers headers, byte[] payload, Consumer<Outcome> done) {
        int streamId = handler.connection().local().incrementAndGetNextStreamId();
        headers.authority(self);
        open.put(streamId, new Open(done));
        handler.encoder().writeHeaders(ctx, streamId, headers, 0, payload.length == 0, ctx.newPromise());
        if (payload.length > 0) {
            handler.encoder().writeData(ctx, streamId, Unpooled.wrappedBuffer(payload), 0, true, ctx.newPromise());
        }
        return streamId;
    }

    @Override
    public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int padding,
                              boolean endOfStream) {
        Open call = open.get(streamId);
        if (call == null) {
            return;
        }
        CharSequence status = headers.status();
        call.status = status == null ? 0 : Integer.parseInt(status.toString());
        CharSequence node = headers.get(MeshWire.NODE);
        call.node = node == null ? "" : node.toString();
        if (endOfStream) {
            finish(streamId, new byte[0]);
        }
    }

    @Override
    public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int streamDependency,
                              short weight, boolean exclusive, int padding, boolean endOfStream) {
        onHeadersRead(ctx, streamId, headers, padding, endOfStream);
    }

    @Override
    public int onDataRead(ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding, boolean endOfStream) {
        int processed = data.readableBytes() + padding;
        Open call = open.get(streamId);
        if (call == null) {
            return processed;
        }
        if (call.body == null && endOfStream) {
            finish(streamId, ByteBufUtil.getBytes(data));
            return processed;
        }
        if (call.body == null) {
            call.body = ctx.alloc().heapBuffer(data.readableBytes() * 2);
        }
        call.body.writeBytes(data);
        if (endOfStream) {
            byte[] bytes = ByteBufUtil.getBytes(call.body);
            finish(streamId, bytes);
        }
        return processed;
    }

    @Override
    public void onRstStreamRead(ChannelHandlerContext ctx, int streamId, long errorCode) {
        fail(streamId, "the peer reset the stream (error " + errorCode + ")");
    }

    @Override
    public void onPingAckRead(ChannelHandlerContext ctx, long data) {
        events.onPingAck(data);
    }

    @Override
    public void onGoAwayRead(ChannelHandlerContext ctx, int lastStreamId, long errorCode, ByteBuf debugData) {
        draining = true;
        if (errorCode != 0) {
            LOG.log(System.Logger.Level.WARNING, "mesh peer " + ctx.channel().remoteAddress() + " sent GOAWAY, error "
                    + errorCode + ": " + debugData.toString(StandardCharsets.UTF_8));
        }
        List<Integer> refused = new ArrayList<>();
        for (int id : open.keySet()) {
            if (id > lastStreamId) {
                refused.add(id);
            }
        }
        refused.forEach(id -> fail(id, "the peer is draining"));
        events.onDrain();
    }

    /** The connection ended: every open call is failed so that another member can take it. */
    void closed(String why) {
        draining = true;
        for (int id : new ArrayList<>(open.keySet())) {
            fail(id, why);
        }
    }

    private void fail(int streamId, String why) {
        Open call = open.remove(streamId);
        if (call != null) {
            release(call);
            call.done.accept(new Outcome.Unavailable(call.node, why));
        }
    }

    private void finish(int streamId, byte[] body) {
        Open call = open.remove(streamId);
        if (call == null) {
            return;
        }
        release(call);
        String text = new String(body, StandardCharsets.UTF_8);
        call.done.accept(switch (call.status) {
            case 200 -> new Outcome.Ok(call.node, body);
            case 502 -> new Outcome.HandlerError(call.node, text);
            case 504 -> new Outcome.Timeout(call.node);
            default -> new Outcome.Unavailable(call.node, call.status == 503 ? text : "status " + call.status + ": " + text);
        });
    }

    private static void release(Open call) {
        if (call.body != null) {
            call.body.release();
            call.body = null;
        }
    }
}
