package dev.berth.pop3;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.berth.mailwire.Pop3Command;
import dev.berth.testpeers.FuzzStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Fuzzes the POP3 decoder and session together over a real Maildir, as the connection handler
 * drives them: any bytes, cut into any reads. Holds that no exception leaves either, that every
 * line gets exactly one well-formed reply (a status line of at most 512 octets, RFC 2449 §4, then
 * for multi-line replies dot-stuffed lines and the final dot), that nothing is answered after a
 * closing reply and that the decoder holds at most one line over its bound plus one read. The
 * mailbox is refilled when a session's QUIT deleted from it. Seeds: {@code Pop3FuzzTestInputs/}.
 */
class Pop3FuzzTest {

    private static final Pattern STATUS = Pattern.compile("(\\+OK( [^\r\n]*)?|-ERR [^\r\n]*|\\+ [^\r\n]*)");
    private static final TestMail MAIL = new TestMail(tempDir());

    @FuzzTest
    void everyLineGetsOneWellFormedReply(byte[] input) {
        if (MAIL.files(TestMail.ALICE) < 3) {
            MAIL.deliver(TestMail.ALICE, TestMail.FIRST);
            MAIL.deliver(TestMail.ALICE, TestMail.DOTS);
            MAIL.deliver(TestMail.ALICE, TestMail.LONG);
        }
        Pop3Decoder decoder = new Pop3Decoder();
        Pop3Session session = new Pop3Session(MAIL.maildrops(), new SessionPolicy(true, true, Duration.ZERO, 3, 20));
        Driver driver = new Driver(decoder, session);
        EmbeddedChannel channel = new EmbeddedChannel(decoder, driver);
        try {
            FuzzStream.feed(input, () -> !driver.closed, read -> {
                channel.writeInbound(Unpooled.wrappedBuffer(read));
                assertThat(decoder.buffered()).as("octets the decoder holds").isLessThanOrEqualTo(Pop3Decoder.MAX_LINE + read.length);
            });
        } finally {
            channel.finishAndReleaseAll();
            session.close();
        }
    }

    /** Hands each command to the session at once and releases the next line, as the handler does. */
    private static final class Driver extends ChannelInboundHandlerAdapter {
        final Pop3Decoder decoder;
        final Pop3Session session;
        boolean closed;

        Driver(Pop3Decoder decoder, Pop3Session session) {
            this.decoder = decoder;
            this.session = session;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (closed) {
                return;
            }
            Outcome outcome = session.handle((Pop3Command) msg);
            check(Transcript.render(outcome.reply()));
            switch (outcome.next()) {
                case COMMAND -> decoder.next(false);
                case SASL_RESPONSE -> decoder.next(true);
                case START_TLS -> {
                    decoder.discardBuffered();
                    decoder.next(false);
                }
                case CLOSE -> closed = true;
            }
        }
    }

    private static void check(String reply) {
        assertThat(reply).endsWith("\r\n");
        String[] lines = reply.substring(0, reply.length() - 2).split("\r\n", -1);
        assertThat(STATUS.matcher(lines[0]).matches()).as("status line %s", lines[0]).isTrue();
        assertThat(lines[0].getBytes(StandardCharsets.UTF_8).length + 2).as("octets of %s", lines[0]).isLessThanOrEqualTo(512);
        if (lines.length > 1) {
            assertThat(lines[lines.length - 1]).as("the end of a multi-line reply").isEqualTo(".");
            for (int i = 1; i < lines.length - 1; i++) {
                assertThat(lines[i]).as("line %d of %s", i, lines[0]).doesNotContain("\r", "\n").isNotEqualTo(".");
            }
        }
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("berth-fuzz-pop3");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
