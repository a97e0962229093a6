package dev.berth.smtp;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes message bytes as DATA content: a dot at the start of a line is doubled, and
 * {@link #finish()} ends the content with {@code CRLF.CRLF} (adding a CRLF if the message did not
 * end with one). Does not close the underlying stream. Blocking like the stream it wraps.
 */
final class DotStuffer extends FilterOutputStream {

    private int previous = '\n';
    private int beforePrevious = '\r';

    DotStuffer(OutputStream out) {
        super(out);
    }

    @Override
    public void write(int b) throws IOException {
        if (b == '.' && previous == '\n') {
            out.write('.');
        }
        out.write(b);
        beforePrevious = previous;
        previous = b;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        int start = offset;
        int end = offset + length;
        for (int i = offset; i < end; i++) {
            if (bytes[i] == '.' && (i == offset ? previous : bytes[i - 1]) == '\n') {
                out.write(bytes, start, i - start);
                out.write('.');
                start = i;
            }
        }
        out.write(bytes, start, end - start);
        if (length >= 2) {
            beforePrevious = bytes[end - 2];
            previous = bytes[end - 1];
        } else if (length == 1) {
            beforePrevious = previous;
            previous = bytes[end - 1];
        }
    }

    /** Writes the terminating {@code .CRLF} (after a CRLF when needed). */
    void finish() throws IOException {
        if (previous != '\n' || beforePrevious != '\r') {
            out.write('\r');
            out.write('\n');
        }
        out.write(new byte[] {'.', '\r', '\n'});
    }

    @Override
    public void close() {
        // The connection outlives the message: never close the socket's stream here.
    }
}
