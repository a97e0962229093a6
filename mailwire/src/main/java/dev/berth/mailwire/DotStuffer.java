package dev.berth.mailwire;

import io.netty.buffer.ByteBuf;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Byte-stuffing of dot-terminated content, the one home for SMTP DATA (RFC 5321 4.5.2) and POP3
 * multi-line replies (RFC 1939 §3): a {@code .} that starts a line is sent doubled, and
 * {@link #finish} ends the content with {@code .CRLF}, after a CRLF when the content does not end
 * with a line end. Everything else goes out as it came, so the octets before stuffing are the
 * octets of the message. {@link DotUnstuffer} is the inverse.
 *
 * <p>A line starts after every LF, a bare one too: a peer that reads a bare LF as a line end must
 * not see an unstuffed {@code .} there (the command injection of RUSTSEC-2026-0561).
 *
 * <p>Not thread-safe: one instance per message, used by one thread at a time. Holds no buffers;
 * never fails except for the I/O of a wrapped stream.
 */
public final class DotStuffer {

    private static final byte[] DOT = {'.'};
    private static final byte[] TERMINATOR = {'.', '\r', '\n'};
    private static final byte[] CRLF_TERMINATOR = {'\r', '\n', '.', '\r', '\n'};

    /** Where stuffed bytes go: a buffer or a stream. */
    @FunctionalInterface
    private interface Sink {
        void write(byte[] bytes, int offset, int length) throws IOException;
    }

    private boolean lineStart = true;

    /** A stuffer at the start of the content. */
    public DotStuffer() {
    }

    /** Stuffs {@code length} bytes of {@code bytes} from {@code offset} into {@code out}. */
    public void stuff(byte[] bytes, int offset, int length, ByteBuf out) {
        out.ensureWritable(length + 16);
        try {
            stuff(bytes, offset, length, out::writeBytes);
        } catch (IOException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** Stuffs the readable bytes of {@code in} into {@code out} and consumes them. */
    public void stuff(ByteBuf in, ByteBuf out) {
        if (in.hasArray()) {
            stuff(in.array(), in.arrayOffset() + in.readerIndex(), in.readableBytes(), out);
            in.skipBytes(in.readableBytes());
            return;
        }
        byte[] chunk = new byte[Math.min(in.readableBytes(), 8192)];
        while (in.isReadable()) {
            int n = Math.min(chunk.length, in.readableBytes());
            in.readBytes(chunk, 0, n);
            stuff(chunk, 0, n, out);
        }
    }

    /** Writes the end of the content: a CRLF if its last line is unterminated, then {@code .CRLF}. */
    public void finish(ByteBuf out) {
        out.writeBytes(lineStart ? TERMINATOR : CRLF_TERMINATOR);
        lineStart = true;
    }

    /**
     * A stream that stuffs what is written to it into {@code out}; {@link Output#finish()} writes
     * the end. Closing it does not close {@code out} (a connection outlives its messages).
     * Blocking like {@code out}.
     */
    public static Output stuffing(OutputStream out) {
        return new Output(out);
    }

    private void stuff(byte[] bytes, int offset, int length, Sink sink) throws IOException {
        int start = offset;
        int end = offset + length;
        for (int i = offset; i < end; i++) {
            byte b = bytes[i];
            if (lineStart && b == '.') {
                sink.write(bytes, start, i - start);
                sink.write(DOT, 0, 1);
                start = i;
            }
            lineStart = b == '\n';
        }
        sink.write(bytes, start, end - start);
    }

    /** An {@link OutputStream} that stuffs; see {@link #stuffing}. One message, one thread. */
    public static final class Output extends FilterOutputStream {

        private final DotStuffer stuffer = new DotStuffer();
        private final byte[] one = new byte[1];

        private Output(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            one[0] = (byte) b;
            write(one, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            stuffer.stuff(bytes, offset, length, out::write);
        }

        /** Writes the end of the content (see {@link DotStuffer#finish}); does not flush. */
        public void finish() throws IOException {
            out.write(stuffer.lineStart ? TERMINATOR : CRLF_TERMINATOR);
            stuffer.lineStart = true;
        }

        /** Does nothing: the stream underneath belongs to the connection. */
        @Override
        public void close() {
            // The connection outlives the message: never close the socket's stream here.
        }
    }
}
