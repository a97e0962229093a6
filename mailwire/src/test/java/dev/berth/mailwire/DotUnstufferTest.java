package dev.berth.mailwire;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DotUnstufferTest {

    private final ByteBuf content = Unpooled.buffer();

    @AfterEach
    void release() {
        content.release();
    }

    private boolean unstuff(DotUnstuffer unstuffer, String text) {
        ByteBuf in = Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1);
        try {
            return unstuffer.unstuff(in, content);
        } finally {
            in.release();
        }
    }

    private String content() {
        return content.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void leadingDotsAreRemovedAndTheEndIsFoundAcrossBuffers() {
        DotUnstuffer unstuffer = DotUnstuffer.strict(1000);
        assertThat(unstuff(unstuffer, "a\r\n..b\r\n.c\r")).isFalse();
        assertThat(unstuff(unstuffer, "\n.\r")).isFalse();
        assertThat(unstuff(unstuffer, "\n")).isTrue();
        assertThat(content()).isEqualTo("a\r\n.b\r\nc\r\n");
        assertThat(unstuffer.problem()).isEqualTo(DotUnstuffer.Problem.NONE);
    }

    @Test
    void bytesAfterTheEndAreLeftForTheNextCommand() {
        ByteBuf in = Unpooled.copiedBuffer("x\r\n.\r\nQUIT\r\n", StandardCharsets.US_ASCII);
        assertThat(DotUnstuffer.strict(1000).unstuff(in, content)).isTrue();
        assertThat(in.toString(StandardCharsets.US_ASCII)).isEqualTo("QUIT\r\n");
        in.release();
    }

    @Test
    void strictlyABareLineFeedBeforeADotIsReportedAndDoesNotEndTheContent() {
        DotUnstuffer unstuffer = DotUnstuffer.strict(1000);
        assertThat(unstuff(unstuffer, "a\n.\n")).isFalse();
        assertThat(unstuffer.problem()).isEqualTo(DotUnstuffer.Problem.BARE_LINE_END);
        assertThat(unstuff(unstuffer, "\r\n.\r\n")).isTrue();
        assertThat(unstuffer.problem()).isEqualTo(DotUnstuffer.Problem.BARE_LINE_END);
    }

    @Test
    void strictlyAnOverLongLineIsReportedAndResetForTheNextMessage() {
        DotUnstuffer unstuffer = DotUnstuffer.strict(1000);
        assertThat(unstuff(unstuffer, "x".repeat(1000) + "\r\n.\r\n")).isTrue();
        assertThat(unstuffer.problem()).isEqualTo(DotUnstuffer.Problem.LINE_TOO_LONG);
        unstuffer.reset();
        assertThat(unstuff(unstuffer, "x".repeat(998) + "\r\n.\r\n")).isTrue();
        assertThat(unstuffer.problem()).isEqualTo(DotUnstuffer.Problem.NONE);
    }

    @Test
    void lenientlyABareLineFeedEndsALineAndTheContent() {
        DotUnstuffer unstuffer = DotUnstuffer.lenient();
        assertThat(unstuff(unstuffer, "a\n..b\n.")).isFalse();
        assertThat(unstuff(unstuffer, "\n")).isTrue();
        assertThat(content()).isEqualTo("a\n.b\n");
        assertThat(unstuffer.problem()).isEqualTo(DotUnstuffer.Problem.NONE);
    }

    @Test
    void lenientlyCrLfWorksAsStrictlyAtEverySplit() {
        String stuffed = "A: b\r\n\r\n..x\r\nmid.dle\r\n...\r\n.\r\n";
        for (int split = 0; split <= stuffed.length(); split++) {
            content.clear();
            DotUnstuffer unstuffer = DotUnstuffer.lenient();
            boolean early = unstuff(unstuffer, stuffed.substring(0, split));
            boolean ended = early || unstuff(unstuffer, stuffed.substring(split));
            assertThat(ended).as("split %d", split).isTrue();
            assertThat(early).as("split %d", split).isEqualTo(split == stuffed.length());
            assertThat(content()).as("split %d", split).isEqualTo("A: b\r\n\r\n.x\r\nmid.dle\r\n..\r\n");
        }
    }
}
