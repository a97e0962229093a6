package dev.berth.mailwire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.TimeUnit;

/**
 * Sends a message from a stream to a channel as a multi-line body: {@link #CHUNK} bytes at a
 * time, cut by a {@link TopLimit}, dot-stuffed, then the terminator. No message is ever held
 * whole, and a client that reads slowly holds the sender, not memory: after each chunk, while the
 * channel is not writable, the sender waits for the chunk before it to be written, so at most two
 * chunks are queued (one in the socket, one behind it). The one home of
 * "a file to a POP3 client" for the {@code pop3} server (RETR, TOP) and the {@code pop3-proxy}
 * (a scanned RETR).
 *
 * <p>Blocking (file reads, back-pressure): call it on a virtual thread or an executor, never on
 * the channel's event loop. Writes from the calling thread are queued to the event loop in order,
 * so whatever the caller wrote before comes first. Stateless and thread-safe.
 */
public final class StuffedSender {

    /** The bytes read per write. */
    public static final int CHUNK = 64 * 1024;

    private StuffedSender() {
    }

    /**
     * Sends {@code message} (read to its end, or to {@code limit}'s) and the terminator.
     *
     * @return false when the channel closed before the end (the rest is not sent)
     * @throws IOException when reading fails; what was sent so far stays sent, so the caller
     *     closes the connection
     */
    public static boolean send(Channel channel, InputStream message, TopLimit limit) throws IOException {
        byte[] chunk = new byte[CHUNK];
        DotStuffer stuffer = new DotStuffer();
        ChannelFuture[] previous = {null};
        int n;
        while (!limit.done() && (n = message.read(chunk)) >= 0) {
            ByteBuf out = channel.alloc().buffer(n + n / 8 + 8);
            stuffer.stuff(chunk, 0, limit.take(chunk, 0, n), out);
            if (!write(channel, out, previous)) {
                return false;
            }
        }
        ByteBuf end = channel.alloc().buffer(5);
        stuffer.finish(end);
        return write(channel, end, previous);
    }

    /**
     * Writes and flushes; then, while the channel is not writable, waits for the write before
     * ({@code previous[0]}, which becomes this one).
     */
    private static boolean write(Channel channel, ByteBuf out, ChannelFuture[] previous) {
        if (!channel.isActive()) {
            out.release();
            return false;
        }
        ChannelFuture written = channel.writeAndFlush(out);
        ChannelFuture before = previous[0] == null ? written : previous[0];
        previous[0] = written;
        // bounded waits, so that an interrupt or a channel that closes is seen within a second
        while (!channel.isWritable() && channel.isActive() && !before.isDone()) {
            try {
                before.await(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return channel.isActive();
    }
}
