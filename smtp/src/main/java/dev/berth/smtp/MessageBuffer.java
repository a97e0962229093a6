package dev.berth.smtp;

import dev.berth.maildir.MessageBody;
import dev.berth.scan.MessageContent;
import dev.berth.scan.Spool;
import io.netty.buffer.ByteBuf;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * The content of one message while it is received: in memory up to {@link #MEMORY} octets, then
 * in a file of the service's {@link Spool} (created on demand, deleted by {@link #close()}; a
 * worker killed first leaves it to the next worker's spool, which removes it). Octets past
 * the size limit are counted, not kept. A write failure is remembered and reported by
 * {@link #failed()}; it never throws.
 *
 * <p>Thread: one at a time (the session's); {@link #wouldBlock} tells the caller when an append
 * does file I/O, so that it runs off the event loop.
 */
final class MessageBuffer implements AutoCloseable {

    static final int MEMORY = 1 << 20;

    private final Spool spool;
    private final long maxSize;
    private byte[] memory = new byte[4096];
    private int held;
    private long size;
    private Path file;
    private FileChannel channel;
    private IOException failure;

    MessageBuffer(Spool spool, long maxSize) {
        this.spool = spool;
        this.maxSize = maxSize;
    }

    /** Whether appending {@code more} octets writes to the file. */
    boolean wouldBlock(int more) {
        return !tooBig() && (channel != null || held + (long) more > MEMORY);
    }

    /** Appends (or only counts, past the limit or after a failure) and leaves {@code bytes} unread. */
    void append(ByteBuf bytes) {
        int n = bytes.readableBytes();
        size += n;
        if (tooBig() || failure != null) {
            return;
        }
        try {
            if (channel == null && held + (long) n > MEMORY) {
                spill();
            }
            if (channel != null) {
                bytes.getBytes(bytes.readerIndex(), channel, channel.position(), n);
                channel.position(channel.position() + n);
            } else {
                if (held + n > memory.length) {
                    memory = Arrays.copyOf(memory, Math.max(held + n, Math.min(MEMORY, memory.length * 2)));
                }
                bytes.getBytes(bytes.readerIndex(), memory, held, n);
                held += n;
            }
        } catch (IOException e) {
            failure = e;
        }
    }

    private void spill() throws IOException {
        file = spool.newFile();
        channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.READ);
        channel.write(java.nio.ByteBuffer.wrap(memory, 0, held));
        memory = new byte[0];
        held = 0;
    }

    /** Octets received so far, kept or not. */
    long size() {
        return size;
    }

    boolean tooBig() {
        return size > maxSize;
    }

    boolean failed() {
        return failure != null;
    }

    /** The content for delivery; valid until {@link #close()}. */
    MessageBody body() {
        if (file == null) {
            return MessageBody.of(exact());
        }
        return new MessageBody() {
            @Override
            public long size() {
                return size;
            }

            @Override
            public void writeTo(OutputStream out) throws IOException {
                try (InputStream in = open()) {
                    in.transferTo(out);
                }
            }
        };
    }

    /** The content for scanners; valid until {@link #close()}. */
    MessageContent content() {
        if (file == null) {
            return MessageContent.of(exact());
        }
        return new MessageContent() {
            @Override
            public long size() {
                return size;
            }

            @Override
            public InputStream open() throws IOException {
                return MessageBuffer.this.open();
            }
        };
    }

    /** The content in memory as an array of its exact length, trimmed once. */
    private byte[] exact() {
        if (memory.length != held) {
            memory = Arrays.copyOf(memory, held);
        }
        return memory;
    }

    /** A fresh stream over the content. Blocking when spilled. */
    InputStream open() throws IOException {
        if (file == null) {
            return new ByteArrayInputStream(memory, 0, held);
        }
        return Files.newInputStream(file);
    }

    /** Deletes the spool file, if any. Blocking when spilled; idempotent. */
    @Override
    public void close() {
        try {
            if (channel != null) {
                channel.close();
                channel = null;
            }
            if (file != null) {
                Files.deleteIfExists(file);
                file = null;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        memory = new byte[0];
        held = 0;
    }
}
