package dev.berth.pop3;

import io.netty.buffer.ByteBuf;

/**
 * Turns a message's bytes into a POP3 multi-line body (RFC 1939 §3): a {@code .} at the start of
 * a line is doubled, and {@link #finish} writes the terminating {@code .CRLF}, preceded by a CRLF
 * when the message does not end with a line end (SMTP-delivered mail always does; the added CRLF
 * is not part of the octet count). Otherwise the bytes go out as stored, so the octets of a RETR
 * before stuffing are the octets of the file.
 *
 * <p>For TOP it stops after the header, the blank line that ends it, and {@code bodyLines} lines
 * of the body; a message without a blank line is all header.
 *
 * <pre>
 *   HEADER ──empty line──▶ BODY (count down bodyLines at each LF) ──0──▶ DONE
 * </pre>
 *
 * <p>Not thread-safe: one instance per message, used by one thread at a time.
 */
final class DotStuffer {

    private long bodyLinesLeft;
    private boolean inHeader = true;
    private boolean atLineStart = true;
    private long lineLength;
    private byte previous;
    private boolean done;

    /** @param bodyLines body lines to send after the header; {@link Long#MAX_VALUE} for all */
    DotStuffer(long bodyLines) {
        if (bodyLines < 0) {
            throw new IllegalArgumentException("bodyLines: negative: " + bodyLines);
        }
        this.bodyLinesLeft = bodyLines;
    }

    /**
     * Stuffs {@code length} bytes of {@code bytes} from {@code offset} into {@code out}, stopping
     * where TOP's limit is reached.
     *
     * @return whether the limit was reached (the rest of the message is not wanted)
     */
    boolean feed(byte[] bytes, int offset, int length, ByteBuf out) {
        out.ensureWritable(length + length / 2 + 2);
        for (int i = offset; i < offset + length && !done; i++) {
            byte b = bytes[i];
            if (atLineStart && b == '.') {
                out.writeByte('.');
            }
            out.writeByte(b);
            atLineStart = b == '\n';
            if (b == '\n') {
                endOfLine(lineLength == 0 || (lineLength == 1 && previous == '\r'));
                lineLength = 0;
            } else {
                lineLength++;
            }
            previous = b;
        }
        return done;
    }

    private void endOfLine(boolean empty) {
        if (inHeader) {
            inHeader = !empty;
            done = !inHeader && bodyLinesLeft == 0;
        } else {
            bodyLinesLeft--;
            done = bodyLinesLeft == 0;
        }
    }

    /** Writes the end of the multi-line reply: CRLF if the last line was unterminated, then {@code .CRLF}. */
    void finish(ByteBuf out) {
        if (!atLineStart) {
            out.writeByte('\r').writeByte('\n');
        }
        out.writeByte('.').writeByte('\r').writeByte('\n');
    }
}
