package dev.berth.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;

/**
 * Writes the head of a response that is not prebuilt (static files, errors) straight into a
 * buffer: status line, {@code server}, {@code date}, the caller's headers, the persistence
 * header, and the blank line. Used instead of Netty's response encoder so that prebuilt responses
 * and built ones go through the same (encoder-free) pipeline.
 *
 * <p>Thread: one builder is used by one thread, then handed over with {@link #end}. Header names
 * and values must be ASCII without CR or LF; callers pass constants or values they checked.
 */
final class ResponseHead {

    /** CR LF as one big-endian short, for {@link ByteBuf#writeShort}. */
    static final int CRLF = ('\r' << 8) | '\n';

    private static final byte[] VERSION = "HTTP/1.1 ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SERVER = "server: berth\r\ndate: ".getBytes(StandardCharsets.US_ASCII);

    private final ByteBuf buf;

    private ResponseHead(ByteBuf buf) {
        this.buf = buf;
    }

    /** Starts a head; the date is the 29-byte value from {@link LoopCache#date}. */
    static ResponseHead start(ByteBufAllocator alloc, HttpResponseStatus status, byte[] date) {
        ByteBuf buf = alloc.directBuffer(256);
        buf.writeBytes(VERSION);
        ByteBufUtil.writeAscii(buf, status.codeAsText());
        buf.writeByte(' ');
        ByteBufUtil.writeAscii(buf, status.reasonPhrase());
        buf.writeShort(CRLF).writeBytes(SERVER).writeBytes(date).writeShort(CRLF);
        return new ResponseHead(buf);
    }

    /** Adds one header line. */
    ResponseHead header(String name, CharSequence value) {
        ByteBufUtil.writeAscii(buf, name);
        buf.writeByte(':').writeByte(' ');
        ByteBufUtil.writeAscii(buf, value);
        buf.writeShort(CRLF);
        return this;
    }

    /** Adds {@code content-length}. */
    ResponseHead contentLength(long length) {
        return header("content-length", Long.toString(length));
    }

    /** Ends the head; the caller owns the returned buffer. */
    ByteBuf end(Persistence persistence) {
        return buf.writeBytes(persistence.header()).writeShort(CRLF);
    }

    /**
     * Ends the head and adds a short plain-text body (for errors and redirects); a HEAD response
     * keeps the {@code content-length} and drops the body. The caller owns the returned buffer.
     */
    ByteBuf endWithText(String text, Persistence persistence, boolean head) {
        header("content-type", "text/plain; charset=utf-8").contentLength(text.length()).end(persistence);
        if (!head) {
            ByteBufUtil.writeAscii(buf, text);
        }
        return buf;
    }

    /** A whole error response whose body is the status's reason phrase. */
    static ByteBuf error(ByteBufAllocator alloc, HttpResponseStatus status, byte[] date,
            Persistence persistence, boolean head) {
        return start(alloc, status, date).endWithText(status.reasonPhrase() + "\n", persistence, head);
    }
}
