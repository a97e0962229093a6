package dev.berth.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.mailwire.DotUnstuffer;
import dev.berth.smtp.SmtpInput.Bdat;
import dev.berth.smtp.SmtpInput.ChunkEnd;
import dev.berth.smtp.SmtpInput.Content;
import dev.berth.smtp.SmtpInput.DataEnd;
import dev.berth.smtp.SmtpInput.Invalid;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SmtpDecoderTest {

    /** Collects inputs; switches to DATA after a Data command, as the handler does after 354. */
    private static final class Collector extends ChannelInboundHandlerAdapter {
        final SmtpDecoder decoder;
        final List<String> events = new ArrayList<>();
        final ByteArrayOutputStream content = new ByteArrayOutputStream();

        Collector(SmtpDecoder decoder) {
            this.decoder = decoder;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            switch ((SmtpInput) msg) {
                case Content c -> {
                    byte[] bytes = new byte[c.bytes().readableBytes()];
                    c.bytes().readBytes(bytes);
                    content.writeBytes(bytes);
                    c.release();
                }
                case SmtpInput.Data d -> {
                    events.add(d.toString());
                    decoder.expectData();
                }
                case SmtpInput input -> {
                    if (!content.toString(StandardCharsets.UTF_8).isEmpty()) {
                        events.add("content[" + content.toString(StandardCharsets.UTF_8) + "]");
                        content.reset();
                    }
                    events.add(input.toString());
                }
            }
        }
    }

    /** Feeds the bytes split at {@code at} and returns the events. */
    private static List<String> decode(String text, int at) {
        SmtpDecoder decoder = new SmtpDecoder();
        Collector collector = new Collector(decoder);
        EmbeddedChannel channel = new EmbeddedChannel(decoder, collector);
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        channel.writeInbound(Unpooled.wrappedBuffer(bytes, 0, at));
        channel.writeInbound(Unpooled.wrappedBuffer(bytes, at, bytes.length - at));
        channel.finishAndReleaseAll();
        return collector.events;
    }

    private static List<String> atEverySplit(String text) {
        List<String> first = decode(text, 0);
        for (int at = 1; at <= text.getBytes(StandardCharsets.UTF_8).length; at++) {
            assertThat(decode(text, at)).as("split at %d", at).isEqualTo(first);
        }
        return first;
    }

    @Test
    void commandsAreDecodedAtEverySplitPoint() {
        assertThat(atEverySplit("EHLO client.test\r\nMAIL FROM:<a@b.test> SIZE=10\r\nRCPT TO:<u@example.test>\r\nNOOP\r\nQUIT\r\n"))
                .containsExactly("Helo[domain=client.test, extended=true]",
                        "Mail[path=a@b.test, params={SIZE=10}]",
                        "Rcpt[path=u@example.test, params={}]", "Noop[]", "Quit[]");
    }

    @Test
    void dataIsDotUnstuffedAndEndsOnlyAtCrLfDotCrLf() {
        String wire = "DATA\r\nSubject: x\r\n\r\n..leading dot\r\n.\r\nNOOP\r\n";
        assertThat(atEverySplit(wire)).containsExactly("Data[]",
                "content[Subject: x\r\n\r\n.leading dot\r\n]", "DataEnd[problem=NONE]", "Noop[]");
    }

    @Test
    void bareLineFeedInDataIsReportedAndDoesNotEndTheData() {
        String wire = "DATA\r\nA\n.\nMAIL FROM:<evil@x.test>\r\n.\r\nNOOP\r\n";
        assertThat(atEverySplit(wire)).containsExactly("Data[]",
                "content[A\n.\nMAIL FROM:<evil@x.test>\r\n]", "DataEnd[problem=BARE_LINE_END]", "Noop[]");
    }

    @Test
    void bareCarriageReturnInDataIsReported() {
        assertThat(atEverySplit("DATA\r\nA\r.\r\n.\r\n")).endsWith("DataEnd[problem=BARE_LINE_END]");
        assertThat(atEverySplit("DATA\r\nA\r\n.\r.\r\n.\r\n")).endsWith("DataEnd[problem=BARE_LINE_END]");
    }

    @Test
    void dataLineOver1000OctetsIsReportedButReadToTheEnd() {
        String ok = "x".repeat(998);
        assertThat(decode("DATA\r\n" + ok + "\r\n.\r\nNOOP\r\n", 3)).contains("DataEnd[problem=NONE]");
        assertThat(decode("DATA\r\n" + ok + "x\r\n.\r\nNOOP\r\n", 500)).containsSubsequence("DataEnd[problem=LINE_TOO_LONG]", "Noop[]");
    }

    @Test
    void bdatChunkIsReadExactlyAtEverySplitPoint() {
        String wire = "BDAT 13\r\nDATA\r\n.\r\nQUITBDAT 0 LAST\r\nNOOP\r\n";
        assertThat(atEverySplit(wire)).containsExactly("Bdat[size=13, last=false]",
                "content[DATA\r\n.\r\nQUIT]", "ChunkEnd[]", "Bdat[size=0, last=true]", "ChunkEnd[]", "Noop[]");
    }

    @Test
    void overLongCommandLineIsAnsweredAndTheSessionStaysInSync() {
        String wire = "NOOP " + "x".repeat(600) + "\r\nRSET\r\n";
        assertThat(atEverySplit(wire)).containsExactly(
                new Invalid(SmtpReply.of(500, "5.5.6", "Line too long")).toString(), "Rset[]");
        String huge = "X".repeat(20_000) + "\r\nRSET\r\n";
        assertThat(decode(huge, 13_000)).containsExactly(
                new Invalid(SmtpReply.of(500, "5.5.6", "Line too long")).toString(), "Rset[]");
    }

    @Test
    void pausedDecoderHoldsInputUntilResumed() {
        SmtpDecoder decoder = new SmtpDecoder();
        Collector collector = new Collector(decoder);
        EmbeddedChannel channel = new EmbeddedChannel(decoder, collector);
        decoder.pause();
        channel.writeInbound(Unpooled.copiedBuffer("NOOP\r\nRSET\r\n", StandardCharsets.US_ASCII));
        assertThat(collector.events).isEmpty();
        decoder.resume();
        assertThat(collector.events).containsExactly("Noop[]", "Rset[]");
        channel.finishAndReleaseAll();
    }

    @Test
    void parsedInputsHaveTheRightTypes() {
        assertThat(CommandParser.parse("BDAT 5 LAST", 13)).isEqualTo(new Bdat(5, true));
        assertThat(CommandParser.parse("MAIL FROM:<>", 14)).isInstanceOf(SmtpInput.Mail.class);
        assertThat(CommandParser.parse("RCPT TO:<Postmaster>", 22)).isEqualTo(new SmtpInput.Rcpt("Postmaster", java.util.Map.of()));
        assertThat(new DataEnd(DotUnstuffer.Problem.NONE)).isEqualTo(new DataEnd(DotUnstuffer.Problem.NONE));
        assertThat(new ChunkEnd()).isEqualTo(new ChunkEnd());
    }

    @Test
    void malformedUtf8IsRefusedNeverRewritten() {
        EmbeddedChannel ch = new EmbeddedChannel(new SmtpDecoder());
        byte[] line = "MAIL FROM:<bob\u00e9@example.test> SMTPUTF8\r\n".getBytes(StandardCharsets.UTF_8);
        ch.writeInbound(Unpooled.wrappedBuffer(line));
        assertThat(ch.<SmtpInput>readInbound()).isInstanceOf(SmtpInput.Mail.class);
        for (String bad : List.of("MAIL FROM:<bob\u0000@example.test> SMTPUTF8", "RCPT TO:<\u0000@example.test>", "EHLO \u0000")) {
            byte[] bytes = (bad + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
            for (int i = 0; i < bytes.length; i++) {
                if (bytes[i] == 0) {
                    bytes[i] = (byte) 0xC3; // a lead byte without its continuation
                }
            }
            ch.writeInbound(Unpooled.wrappedBuffer(bytes));
            SmtpInput input = ch.readInbound();
            assertThat(input).as(bad).isInstanceOf(Invalid.class);
            SmtpReply reply = ((Invalid) input).reply();
            assertThat(reply.toString()).as(bad).startsWith(bad.startsWith("MAIL") ? "553 5.1.7 "
                    : bad.startsWith("RCPT") ? "553 5.1.3 " : "501 5.5.2 ").contains("UTF-8");
        }
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }
}
