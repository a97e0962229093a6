package dev.berth.mailwire;

/**
 * How much of a message a TOP reply sends (RFC 1939 §7): the header, the blank line that ends
 * it, and {@code bodyLines} lines of the body; a message without a blank line is all header.
 * RETR is TOP without a limit. Lines end at LF (a CR before it belongs to the line).
 *
 * <pre>
 *   HEADER ──empty line──▶ BODY (count down bodyLines at each LF) ──0──▶ DONE
 * </pre>
 *
 * <p>Not thread-safe: one instance per reply, fed the message in order by one thread at a time.
 */
public final class TopLimit {

    private long bodyLinesLeft;
    private boolean inHeader = true;
    private long lineLength;
    private byte previous;
    private boolean done;

    /** A whole message: RETR. */
    public static final long ALL = Long.MAX_VALUE;

    /**
     * @param bodyLines body lines to send after the header; {@link #ALL} for all
     * @throws IllegalArgumentException if negative
     */
    public TopLimit(long bodyLines) {
        if (bodyLines < 0) {
            throw new IllegalArgumentException("bodyLines: negative: " + bodyLines);
        }
        this.bodyLinesLeft = bodyLines;
    }

    /**
     * How many of the next {@code length} bytes of the message (at {@code offset} of
     * {@code bytes}) are wanted: all of them, or up to the end of the last wanted line.
     */
    public int take(byte[] bytes, int offset, int length) {
        for (int i = offset; i < offset + length && !done; i++) {
            byte b = bytes[i];
            if (b == '\n') {
                endOfLine(lineLength == 0 || (lineLength == 1 && previous == '\r'));
                lineLength = 0;
                if (done) {
                    return i + 1 - offset;
                }
            } else {
                lineLength++;
            }
            previous = b;
        }
        return done ? 0 : length;
    }

    /** Whether the wanted part has been taken whole: the rest of the message is not wanted. */
    public boolean done() {
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
}
