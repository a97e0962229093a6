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
        ByteArrayOutputStream out = new ByteArrayOutputStream(stuffed.length);
        boolean lineStart = true;
        for (int i = 0; i < stuffed.length; i++) {
            byte b = stuffed[i];
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
