package dev.berth.pop3;

import dev.berth.mailwire.StuffedSender;
import dev.berth.mailwire.TopLimit;
import io.netty.channel.Channel;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.file.NoSuchFileException;

/**
 * Sends RETR and TOP replies from the message file through a {@link StuffedSender}, so that no
 * message is ever held in memory whole and a slow reader holds the sending thread, not memory.
 * The first chunk is read before the {@code +OK}, so that an unreadable file is still an
 * {@code -ERR}.
 *
 * <p>Threads: {@link #stream} blocks (file reads, back-pressure) and runs on the connection's
 * serial executor, never on the event loop. One instance per connection.
 */
final class MessageStreamer {

    private final Channel channel;

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
        byte[] first;
        try {
            in = content.source().open();
        } catch (NoSuchFileException gone) {
            channel.writeAndFlush(Pop3Reply.Err.of("The message was removed by another session."));
            return true;
        } catch (IOException e) {
            return unreadable(e);
        }
        try (in) {
            try {
                first = in.readNBytes(StuffedSender.CHUNK);
            } catch (IOException e) {
                return unreadable(e);
            }
            channel.write(content);
            return StuffedSender.send(channel, new SequenceInputStream(new ByteArrayInputStream(first), in),
                    new TopLimit(content.bodyLines()));
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
}
