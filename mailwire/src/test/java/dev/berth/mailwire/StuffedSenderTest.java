package dev.berth.mailwire;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StuffedSenderTest {

    private static String sent(EmbeddedChannel channel) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (ByteBuf buf; (buf = channel.readOutbound()) != null; ) {
            byte[] bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
            out.writeBytes(bytes);
            buf.release();
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void aMessageOfManyChunksGoesOutStuffedAndTerminated() throws IOException {
        StringBuilder message = new StringBuilder("Subject: many chunks\r\n\r\n");
        while (message.length() < 5 * StuffedSender.CHUNK) {
            message.append(".dot ").append(message.length()).append("\r\nplain line\r\n");
        }
        EmbeddedChannel channel = new EmbeddedChannel();
        assertThat(StuffedSender.send(channel, new ByteArrayInputStream(message.toString().getBytes(StandardCharsets.ISO_8859_1)),
                new TopLimit(TopLimit.ALL))).isTrue();
        assertThat(sent(channel)).isEqualTo(message.toString().replace("\r\n.", "\r\n..") + ".\r\n");
    }

    @Test
    void topStopsAfterTheWantedLines() throws IOException {
        EmbeddedChannel channel = new EmbeddedChannel();
        StuffedSender.send(channel, new ByteArrayInputStream("A: b\r\n\r\n1\r\n.2\r\n3\r\n".getBytes(StandardCharsets.US_ASCII)),
                new TopLimit(2));
        assertThat(sent(channel)).isEqualTo("A: b\r\n\r\n1\r\n..2\r\n.\r\n");
    }

    @Test
    void aClosedChannelStopsTheSender() throws IOException {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.close();
        assertThat(StuffedSender.send(channel, new ByteArrayInputStream(new byte[100]), new TopLimit(TopLimit.ALL))).isFalse();
    }
}
