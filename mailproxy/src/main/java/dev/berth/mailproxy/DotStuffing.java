package dev.berth.mailproxy;

import java.io.ByteArrayOutputStream;

/**
 * POP3 multi-line byte-stuffing (RFC 1939 §3): a line that starts with {@code .} is sent with
 * one more {@code .}. Pure functions over whole bodies without the terminating {@code .CRLF}.
 */
final class DotStuffing {

    private DotStuffing() {
    }

    /** Removes the extra {@code .} at the start of each line. */
    static byte[] unstuff(byte[] stuffed) {
        return unstuff(io.netty.buffer.Unpooled.wrappedBuffer(stuffed));
    }

    /** Removes the extra {@code .} at the start of each line of the readable bytes; the buffer is not changed. */
    static byte[] unstuff(io.netty.buffer.ByteBuf stuffed) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(stuffed.readableBytes());
        boolean lineStart = true;
        for (int i = stuffed.readerIndex(); i < stuffed.writerIndex(); i++) {
            byte b = stuffed.getByte(i);
            if (!(lineStart && b == '.')) {
                out.write(b);
            }
            lineStart = b == '\n';
        }
        return out.toByteArray();
    }

    /**
     * Adds a {@code .} before each line that starts with one, and a CRLF at the end when the body
     * does not end with a line end, so that the terminator stands on its own line.
     */
    static byte[] stuff(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 16);
        boolean lineStart = true;
        for (byte b : body) {
            if (lineStart && b == '.') {
                out.write('.');
            }
            out.write(b);
            lineStart = b == '\n';
        }
        if (!lineStart) {
            out.write('\r');
            out.write('\n');
        }
        return out.toByteArray();
    }
}
