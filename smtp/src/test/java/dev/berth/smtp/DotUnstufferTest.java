package dev.berth.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.smtp.SmtpInput.DataProblem;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DotUnstufferTest {

    private final DotUnstuffer unstuffer = new DotUnstuffer();
    private final ByteBuf content = Unpooled.buffer();

    private boolean scan(String text) {
        ByteBuf in = Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1);
        try {
            return unstuffer.scan(in, content);
        } finally {
            in.release();
        }
    }

    private String content() {
        return content.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void leadingDotsAreRemovedAndTheEndIsFoundAcrossBuffers() {
        assertThat(scan("a\r\n..b\r\n.c\r")).isFalse();
        assertThat(scan("\n.\r")).isFalse();
        assertThat(scan("\n")).isTrue();
        assertThat(content()).isEqualTo("a\r\n.b\r\nc\r\n");
        assertThat(unstuffer.problem()).isEqualTo(DataProblem.NONE);
    }

    @Test
    void bytesAfterTheEndAreLeftForTheNextCommand() {
        ByteBuf in = Unpooled.copiedBuffer("x\r\n.\r\nQUIT\r\n", StandardCharsets.US_ASCII);
        assertThat(unstuffer.scan(in, content)).isTrue();
        assertThat(in.toString(StandardCharsets.US_ASCII)).isEqualTo("QUIT\r\n");
        in.release();
    }

    @Test
    void bareLineFeedBeforeDotIsReportedAndDoesNotEndTheData() {
        assertThat(scan("a\n.\n")).isFalse();
        assertThat(unstuffer.problem()).isEqualTo(DataProblem.BARE_LINE_END);
        assertThat(scan("\r\n.\r\n")).isTrue();
        assertThat(unstuffer.problem()).isEqualTo(DataProblem.BARE_LINE_END);
    }

    @Test
    void overLongLineIsReportedAndResetForTheNextMessage() {
        assertThat(scan("x".repeat(SmtpDecoder.TEXT_LINE) + "\r\n.\r\n")).isTrue();
        assertThat(unstuffer.problem()).isEqualTo(DataProblem.LINE_TOO_LONG);
        unstuffer.reset();
        assertThat(scan("x".repeat(SmtpDecoder.TEXT_LINE - 2) + "\r\n.\r\n")).isTrue();
        assertThat(unstuffer.problem()).isEqualTo(DataProblem.NONE);
    }
}
