package dev.berth.mailproxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Accumulates bytes and cuts them into lines ending in LF (a CR before it is dropped). Owns its
 * buffer: {@link #release} frees it. Confined to one event loop thread.
 */
final class LineBuffer {

    private final ByteBuf buffer;
    private final int maxLine;

    /**
     * @param maxLine the longest line accepted, in bytes without the line end
     */
    LineBuffer(ByteBufAllocator alloc, int maxLine) {
        this.buffer = alloc.buffer();
        this.maxLine = maxLine;
    }

    /** Appends and releases {@code in}. */
    void add(ByteBuf in) {
        try {
            buffer.writeBytes(in);
        } finally {
            in.release();
        }
    }

    /**
     * The next whole line as UTF-8 text without its line end, if one is buffered.
     *
     * @throws TooLongException when more than {@code maxLine} bytes arrived without a line end
     */
    Optional<String> nextLine() {
        int lf = buffer.indexOf(buffer.readerIndex(), buffer.writerIndex(), (byte) '\n');
        if (lf < 0) {
            if (buffer.readableBytes() > maxLine + 1) {
                throw new TooLongException();
            }
            return Optional.empty();
        }
        int end = lf > buffer.readerIndex() && buffer.getByte(lf - 1) == '\r' ? lf - 1 : lf;
        if (end - buffer.readerIndex() > maxLine) {
            throw new TooLongException();
        }
        String line = buffer.toString(buffer.readerIndex(), end - buffer.readerIndex(), StandardCharsets.UTF_8);
        buffer.readerIndex(lf + 1);
        return Optional.of(line);
    }

    /** The buffer itself, for readers that take raw bytes (IMAP literals). */
    ByteBuf bytes() {
        return buffer;
    }

    /** Drops what is buffered (plaintext sent after STLS / STARTTLS). */
    void clear() {
        buffer.clear();
    }

    /** The unread bytes, handed over (the caller releases them); this buffer is then empty. */
    ByteBuf takeRest() {
        ByteBuf rest = buffer.copy(buffer.readerIndex(), buffer.readableBytes());
        buffer.clear();
        return rest;
    }

    /** Frees the buffer; idempotent. */
    void release() {
        if (buffer.refCnt() > 0) {
            buffer.release();
        }
    }

    /** A line longer than allowed. */
    static final class TooLongException extends RuntimeException {
        TooLongException() {
            super("line too long", null, false, false);
        }
    }
}
