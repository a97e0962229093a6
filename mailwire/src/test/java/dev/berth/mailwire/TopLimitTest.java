package dev.berth.mailwire;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** TOP and RETR replies: the limit, then the stuffing, at every chunk size. */
class TopLimitTest {

    private static String stuff(String message, long bodyLines, int chunk) {
        byte[] bytes = message.getBytes(StandardCharsets.ISO_8859_1);
        TopLimit top = new TopLimit(bodyLines);
        DotStuffer stuffer = new DotStuffer();
        ByteBuf out = Unpooled.buffer();
        for (int i = 0; i < bytes.length && !top.done(); i += chunk) {
            int n = Math.min(chunk, bytes.length - i);
            stuffer.stuff(bytes, i, top.take(bytes, i, n), out);
        }
        stuffer.finish(out);
        try {
            return out.toString(StandardCharsets.ISO_8859_1);
        } finally {
            out.release();
        }
    }

    @Test
    void leadingDotsAreDoubledAtEveryChunkSize() {
        String message = "A: b\r\n\r\n.x\r\n..\r\nmid.dle\r\n.\r\n";
        for (int chunk = 1; chunk <= message.length(); chunk++) {
            assertThat(stuff(message, Long.MAX_VALUE, chunk)).as("chunk %d", chunk)
                    .isEqualTo("A: b\r\n\r\n..x\r\n...\r\nmid.dle\r\n..\r\n.\r\n");
        }
    }

    @Test
    void aMessageWithoutAFinalLineEndGetsOneBeforeTheTerminator() {
        assertThat(stuff("A: b\r\n\r\nno end", Long.MAX_VALUE, 4)).isEqualTo("A: b\r\n\r\nno end\r\n.\r\n");
        assertThat(stuff("", Long.MAX_VALUE, 4)).isEqualTo(".\r\n");
    }

    @Test
    void topStopsAfterTheRequestedBodyLines() {
        String message = "A: b\r\nC: d\r\n\r\n1\r\n2\r\n3\r\n";
        for (int chunk = 1; chunk <= message.length(); chunk++) {
            assertThat(stuff(message, 0, chunk)).isEqualTo("A: b\r\nC: d\r\n\r\n.\r\n");
            assertThat(stuff(message, 2, chunk)).isEqualTo("A: b\r\nC: d\r\n\r\n1\r\n2\r\n.\r\n");
            assertThat(stuff(message, 9, chunk)).isEqualTo(message + ".\r\n");
        }
    }

    @Test
    void bareLineFeedsEndLinesToo() {
        assertThat(stuff("A: b\n\n.1\n2\n", 1, 3)).isEqualTo("A: b\n\n..1\n.\r\n");
    }

    @Test
    void aMessageWithoutABlankLineIsAllHeader() {
        assertThat(stuff("A: b\r\nC: d\r\n", 0, 5)).isEqualTo("A: b\r\nC: d\r\n.\r\n");
    }
}
