package dev.berth.pop3;

import dev.berth.mailwire.DotStuffer;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends RETR and TOP replies from the message file, {@link #CHUNK} bytes at a time, so that no
 * message is ever held in memory whole: each chunk is read, dot-stuffed and written only while
 * the channel is writable; otherwise the streaming thread parks until Netty reports the channel
 * writable again (or closed).
 *
 * <p>Threads: {@link #stream} blocks (file reads, back-pressure) and runs on the connection's
 * serial executor, never on the event loop; {@link #onWritabilityChanged} is called by the event
 * loop. One instance per connection.
 */
final class MessageStreamer {

    /** The bytes read from the file per write. */
    static final int CHUNK = 64 * 1024;

    private final Channel channel;
    private volatile CompletableFuture<Void> writable;

    MessageStreamer(Channel channel) {
        this.channel = channel;
    }

    /**
     * Writes the reply: {@code -ERR} when the message cannot be opened, else the status line, the
     * dot-stuffed message (or its top) and the terminator.
     *
     * @return false when the reply broke off (read failure or closed channel); the caller closes
     */
    boolean stream(Pop3Reply.Content content) {
        InputStream in;
        try {
            in = content.source().open();
        } catch (NoSuchFileException gone) {
            channel.writeAndFlush(Pop3Reply.Err.of("The message was removed by another session."));
            return true;
        } catch (IOException e) {
            return unreadable(e);
        }
        try (in) {
            byte[] chunk = new byte[CHUNK];
            // The first read comes before +OK, so that an unreadable file is still an -ERR.
            int n;
            try {
                n = in.read(chunk);
            } catch (IOException e) {
                return unreadable(e);
            }
            channel.write(content);
            TopLimit top = new TopLimit(content.bodyLines());
            DotStuffer stuffer = new DotStuffer();
            while (!top.done() && n >= 0) {
                ByteBuf out = channel.alloc().buffer(n + n / 2 + 8);
                stuffer.stuff(chunk, 0, top.take(chunk, 0, n), out);
                if (!send(out)) {
                    return false;
                }
                n = top.done() ? -1 : in.read(chunk);
            }
            ByteBuf end = channel.alloc().buffer(5);
            stuffer.finish(end);
            return send(end);
        } catch (IOException e) {
            Pop3Session.LOG.log(System.Logger.Level.WARNING, "reading a message failed midway", e);
            return false;
        }
    }

    private boolean unreadable(IOException e) {
        Pop3Session.LOG.log(System.Logger.Level.WARNING, "cannot read a message", e);
        channel.writeAndFlush(new Pop3Reply.Err(Pop3Reply.ResponseCode.SYS_TEMP, "Cannot read the message."));
        return true;
    }

    /** Wakes {@link #stream} when the channel became writable or closed. Event loop. */
    void onWritabilityChanged() {
        CompletableFuture<Void> waiter = writable;
        if (waiter != null) {
            waiter.complete(null);
        }
    }

    private boolean send(ByteBuf out) {
        awaitWritable();
        if (!channel.isActive()) {
            out.release();
            return false;
        }
        channel.writeAndFlush(out);
        return true;
    }

    private void awaitWritable() {
        while (channel.isActive() && !channel.isWritable()) {
            CompletableFuture<Void> waiter = new CompletableFuture<>();
            writable = waiter;
            if (!channel.isActive() || channel.isWritable()) {
                return;
            }
            try {
                // Bounded, so that a missed wake-up only costs a second; the idle timeout closes a
                // client that stops reading.
                waiter.get(1, TimeUnit.SECONDS);
            } catch (TimeoutException ignored) {
                // look again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException impossible) {
                throw new IllegalStateException(impossible);
            }
        }
    }
}
