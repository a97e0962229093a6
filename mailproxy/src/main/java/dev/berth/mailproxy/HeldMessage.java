package dev.berth.mailproxy;

import dev.berth.scan.MessageContent;
import dev.berth.scan.Spool;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.ByteBufUtil;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One RETR'd message (un-stuffed) while it is read and scanned: up to {@link ScanRuntime#MEMORY}
 * octets in memory, the rest appended to a file of the {@link Spool} by {@link #spill()}, so a
 * connection holds at most that much whatever the message's size.
 *
 * <p>Threads: {@link #take} on the upstream event loop; {@link #spill}, {@link #content},
 * {@link #open} and {@link #close} block and run on the scan executor. Never two at once: the
 * filter stops reading while the executor works. Owns its buffer and file.
 */
final class HeldMessage implements AutoCloseable {

    private final Spool spool;
    private final ByteBuf memory;
    private Path file;
    private FileChannel channel;
    private long size;

    HeldMessage(Spool spool, ByteBufAllocator alloc) {
        this.spool = spool;
        this.memory = alloc.buffer(8192);
    }

    /** The buffer that un-stuffed octets go into; call {@link #took()} after writing to it. */
    ByteBuf buffer() {
        return memory;
    }

    /** Counts what was written into {@link #buffer()}; returns whether it should be spilled now. */
    boolean took(int octets) {
        size += octets;
        return memory.readableBytes() >= ScanRuntime.MEMORY;
    }

    /** Octets of the message so far. */
    long size() {
        return size;
    }

    /** Whether anything went to the spool file. */
    boolean spilled() {
        return file != null;
    }

    /** Appends what is in memory to the spool file (created on the first call). Blocking. */
    void spill() throws IOException {
        if (file == null) {
            file = spool.newFile();
            channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        }
        while (memory.isReadable()) {
            memory.readBytes(channel, memory.readableBytes());
        }
        memory.clear();
    }

    /** The whole message for the scanners; valid until {@link #close()}. Blocking when spilled. */
    MessageContent content() throws IOException {
        if (file == null) {
            return MessageContent.of(ByteBufUtil.getBytes(memory));
        }
        spill();
        return MessageContent.of(file);
    }

    /** A new stream over the whole message; the caller closes it. Blocking when spilled. */
    InputStream open() throws IOException {
        InputStream held = new ByteBufInputStream(memory.duplicate());
        return file == null ? held : new SequenceInputStream(Files.newInputStream(file), held);
    }

    /** Frees the buffer and deletes the file. Blocking when spilled; idempotent. */
    @Override
    public void close() throws IOException {
        if (memory.refCnt() > 0) {
            memory.release();
        }
        if (channel != null) {
            channel.close();
            channel = null;
        }
        if (file != null) {
            Files.deleteIfExists(file);
            file = null;
        }
    }
}
