package dev.berth.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.DateFormatter;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.Date;

/**
 * What one event loop reuses across requests: the {@code date} header value of the current second
 * and, for a fixed-response service, the whole response prebuilt once per second for each
 * {@link Persistence} with and without body. A response is then one retained duplicate of a
 * buffer: no encoding, no copying.
 *
 * <p>Thread: owned by one event loop thread; every method but {@link #release} must be called on
 * it. Ownership: the cache holds one reference to each prebuilt buffer and drops it when the second
 * changes; each duplicate handed out holds its own reference until the transport has written it.
 */
final class LoopCache {

    private final InstantSource clock;
    private final byte[] fixedPrefix;
    private final byte[] fixedBody;
    private final ByteBuf[] fixed = new ByteBuf[Persistence.values().length * 2];
    private long second = Long.MIN_VALUE;
    private byte[] date;
    private boolean released;

    /**
     * @param clock the wall clock for the date header
     * @param fixedResponse the fixed response's status line and headers up to and including
     *     {@code "date: "}, then its body; ignored by static-file services
     */
    LoopCache(InstantSource clock, FixedResponse fixedResponse) {
        this.clock = clock;
        this.fixedPrefix = fixedResponse.prefix();
        this.fixedBody = fixedResponse.body();
    }

    /** The current IMF-fixdate (29 ASCII bytes), computed at most once per second. Shared. */
    byte[] date() {
        refresh();
        return date;
    }

    /**
     * The fixed response for a request: headers, {@code date}, the persistence header, and the
     * body unless {@code head}. The caller owns the returned buffer (one reference).
     */
    ByteBuf fixedResponse(ByteBufAllocator alloc, Persistence persistence, boolean head) {
        refresh();
        if (released) {
            return build(alloc, persistence, head);
        }
        int slot = persistence.ordinal() * 2 + (head ? 1 : 0);
        ByteBuf response = fixed[slot];
        if (response == null) {
            response = build(alloc, persistence, head);
            fixed[slot] = response;
        }
        return response.retainedDuplicate();
    }

    /**
     * Drops the cache's references. Called on the owning thread, or on any thread once that loop
     * has stopped; later calls of {@link #fixedResponse} build uncached buffers. Idempotent.
     */
    void release() {
        released = true;
        dropFixed();
    }

    private void refresh() {
        long now = Math.floorDiv(clock.millis(), 1000L);
        if (now != second) {
            second = now;
            date = DateFormatter.format(new Date(now * 1000L)).getBytes(StandardCharsets.US_ASCII);
            dropFixed();
        }
    }

    private ByteBuf build(ByteBufAllocator alloc, Persistence persistence, boolean head) {
        byte[] connection = persistence.header();
        int length = fixedPrefix.length + date.length + 4 + connection.length
                + (head ? 0 : fixedBody.length);
        ByteBuf buf = alloc.directBuffer(length, length);
        buf.writeBytes(fixedPrefix).writeBytes(date).writeShort(ResponseHead.CRLF)
                .writeBytes(connection).writeShort(ResponseHead.CRLF);
        if (!head) {
            buf.writeBytes(fixedBody);
        }
        return buf;
    }

    private void dropFixed() {
        for (int i = 0; i < fixed.length; i++) {
            if (fixed[i] != null) {
                fixed[i].release();
                fixed[i] = null;
            }
        }
    }
}
