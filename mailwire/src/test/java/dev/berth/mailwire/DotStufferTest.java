package dev.berth.mailwire;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DotStufferTest {

    /** Through the stream, as the SMTP relay sends DATA. */
    private static String stream(String... parts) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DotStuffer.Output stuffer = DotStuffer.stuffing(out);
        for (String part : parts) {
            stuffer.write(part.getBytes(StandardCharsets.ISO_8859_1));
        }
        stuffer.finish();
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    /** Into a buffer in chunks, as POP3 sends RETR and the proxy sends a scanned message. */
    private static String buffer(String message, int chunk) {
        byte[] bytes = message.getBytes(StandardCharsets.ISO_8859_1);
        DotStuffer stuffer = new DotStuffer();
        ByteBuf out = Unpooled.buffer();
        try {
            for (int i = 0; i < bytes.length; i += chunk) {
                ByteBuf in = Unpooled.directBuffer().writeBytes(bytes, i, Math.min(chunk, bytes.length - i));
                stuffer.stuff(in, out);
                assertThat(in.isReadable()).isFalse();
                in.release();
            }
            stuffer.finish(out);
            return out.toString(StandardCharsets.ISO_8859_1);
        } finally {
            out.release();
        }
    }

    @Test
    void leadingDotsAreDoubledAcrossWrites() throws IOException {
        assertThat(stream(".a\r\n.", "b\r\nc.d\r\n")).isEqualTo("..a\r\n..b\r\nc.d\r\n.\r\n");
        assertThat(stream("a\r\n", ".")).isEqualTo("a\r\n..\r\n.\r\n");
    }

    @Test
    void leadingDotsAreDoubledAtEveryChunkSize() {
        String message = "A: b\r\n\r\n.x\r\n..\r\nmid.dle\r\n.\r\n";
        for (int chunk = 1; chunk <= message.length(); chunk++) {
            assertThat(buffer(message, chunk)).as("chunk %d", chunk)
                    .isEqualTo("A: b\r\n\r\n..x\r\n...\r\nmid.dle\r\n..\r\n.\r\n");
        }
    }

    @Test
    void aMissingFinalLineEndIsAdded() throws IOException {
        assertThat(stream("no end")).isEqualTo("no end\r\n.\r\n");
        assertThat(stream()).isEqualTo(".\r\n");
        assertThat(buffer("A: b\r\n\r\nno end", 4)).isEqualTo("A: b\r\n\r\nno end\r\n.\r\n");
    }

    @Test
    void aDotAfterABareLineFeedIsStuffedToo() throws IOException {
        assertThat(stream("a\n.QUIT\n")).isEqualTo("a\n..QUIT\n.\r\n");
    }

    @Test
    void unstuffingWhatWasStuffedGivesTheMessageBack() {
        String message = "A: b\r\n\r\n.x\r\n..\r\n.\r\nend\r\n";
        ByteBuf stuffed = Unpooled.copiedBuffer(buffer(message, 3), StandardCharsets.ISO_8859_1);
        ByteBuf back = Unpooled.buffer();
        assertThat(DotUnstuffer.strict(1000).unstuff(stuffed, back)).isTrue();
        assertThat(back.toString(StandardCharsets.ISO_8859_1)).isEqualTo(message);
        stuffed.release();
        back.release();
    }
}
