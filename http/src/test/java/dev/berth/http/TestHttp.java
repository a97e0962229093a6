package dev.berth.http;

import dev.berth.service.ServiceContext;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.FileRegion;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** Test plumbing: a settable clock, a counting context, and an in-memory connection. */
final class TestHttp {

    /** Thursday, 1 January 2026, midnight UTC. */
    static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");
    static final String DATE = "Thu, 01 Jan 2026 00:00:00 GMT";

    private TestHttp() {
    }

    /** A wall clock that moves only when told to. */
    static final class ManualClock implements InstantSource {
        private final AtomicLong millis = new AtomicLong(EPOCH.toEpochMilli());

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.get());
        }

        @Override
        public long millis() {
            return millis.get();
        }

        void advanceMillis(long delta) {
            millis.addAndGet(delta);
        }
    }

    /** A service handler with its counter and clock, and connections to it. */
    static final class Service implements AutoCloseable {
        final AtomicInteger served = new AtomicInteger();
        final ManualClock clock = new ManualClock();
        final HttpServiceHandler handler;

        Service(HttpSettings settings) {
            handler = HttpServiceHandler.create(settings, new ServiceContext("web", served::incrementAndGet), clock);
        }

        /** A new connection with the service's pipeline, its clock frozen for timeouts. */
        EmbeddedChannel connect() {
            EmbeddedChannel channel = new EmbeddedChannel();
            channel.freezeTime();
            handler.initChannel(channel);
            return channel;
        }

        @Override
        public void close() {
            handler.close();
        }
    }

    /** Sends bytes as the client and returns everything the server wrote, as ISO-8859-1. */
    static String exchange(EmbeddedChannel channel, String request) {
        channel.writeInbound(Unpooled.copiedBuffer(request, StandardCharsets.ISO_8859_1));
        return new String(written(channel), StandardCharsets.ISO_8859_1);
    }

    /** Everything written so far, buffers and file regions, releasing each. */
    static byte[] written(EmbeddedChannel channel) {
        channel.runPendingTasks();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        WritableByteChannel sink = Channels.newChannel(out);
        for (Object message; (message = channel.readOutbound()) != null; ) {
            try {
                if (message instanceof ByteBuf buf) {
                    buf.readBytes(out, buf.readableBytes());
                } else if (message instanceof FileRegion region) {
                    while (region.transferred() < region.count()) {
                        region.transferTo(sink, region.transferred());
                    }
                } else {
                    throw new AssertionError("unexpected outbound message " + message);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                io.netty.util.ReferenceCountUtil.release(message);
            }
        }
        return out.toByteArray();
    }

    /** The fixed hello response as the server writes it at {@link #EPOCH}. */
    static String hello(String connection, boolean head) {
        return "HTTP/1.1 200 OK\r\n"
                + "server: berth\r\n"
                + "content-type: text/plain; charset=utf-8\r\n"
                + "content-length: 6\r\n"
                + "date: " + DATE + "\r\n"
                + (connection.isEmpty() ? "" : "connection: " + connection + "\r\n")
                + "\r\n"
                + (head ? "" : "hello\n");
    }
}
