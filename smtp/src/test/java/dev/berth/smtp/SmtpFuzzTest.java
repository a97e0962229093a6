package dev.berth.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.berth.testpeers.FuzzStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Fuzzes the SMTP decoder and session together, as the connection handler drives them: any bytes,
 * cut into any reads. Holds that no exception leaves the decoder or the session (protocol errors
 * are replies), that every command, AUTH line, end of DATA and end of a BDAT chunk gets exactly
 * one well-formed reply ({@link Replies#checkSmtp}) and nothing else gets one, that nothing is
 * answered after a closing reply, and that the decoder never holds more than the longest line it
 * accepts plus one read. Seeds: {@code SmtpFuzzTestInputs/}.
 */
class SmtpFuzzTest {

    private static final Path DIR = tempDir();
    private static final TestSmtp SMTP = TestSmtp.maildir(DIR, """
            auth: {require-tls: false}
            limits: {message-size: 64k, recipients: 4, errors: 20, error-delay: 0s}
            """);

    @FuzzTest
    void everyCommandGetsOneWellFormedReply(byte[] input) {
        SmtpDecoder decoder = new SmtpDecoder();
        Driver driver = new Driver(decoder, SMTP.session("192.0.2.7"));
        EmbeddedChannel channel = new EmbeddedChannel(decoder, driver);
        try {
            FuzzStream.feed(input, () -> !driver.closed, read -> {
                channel.writeInbound(Unpooled.wrappedBuffer(read));
                assertThat(decoder.buffered()).as("octets the decoder holds").isLessThanOrEqualTo(CommandParser.AUTH_LINE + read.length);
            });
        } finally {
            channel.finishAndReleaseAll();
            driver.session.close();
        }
        if (driver.delivered) {
            clean(DIR.resolve("mail"));
        }
    }

    /** Hands each input to the session at once, switching the decoder as the handler does. */
    private static final class Driver extends ChannelInboundHandlerAdapter {
        final SmtpDecoder decoder;
        final SmtpSession session;
        boolean closed;
        boolean delivered;

        Driver(SmtpDecoder decoder, SmtpSession session) {
            this.decoder = decoder;
            this.session = session;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            SmtpInput input = (SmtpInput) msg;
            if (closed) {
                if (input instanceof SmtpInput.Content content) {
                    content.release();
                }
                return;
            }
            SessionResponse response = session.handle(input);
            boolean answered = !(input instanceof SmtpInput.Content) && !(input instanceof SmtpInput.Bdat);
            assertThat(response.reply().isPresent()).as("a reply to %s", input).isEqualTo(answered);
            response.reply().ifPresent(reply -> Replies.checkSmtp(reply.encode()));
            delivered |= response.delivered();
            switch (response.next()) {
                case READ -> { }
                case DATA -> decoder.expectData();
                case AUTH_LINE -> decoder.expectAuthLine();
                case START_TLS -> {
                    decoder.discardBuffered();
                    session.tlsStarted();
                }
                case CLOSE -> closed = true;
            }
        }
    }

    private static Path tempDir() {
        try {
            Path dir = Files.createTempDirectory("berth-fuzz-smtp");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Removes delivered messages, so that a long run does not fill the disk. */
    private static void clean(Path mail) {
        try (Stream<Path> files = Files.walk(mail)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).filter(Files::isRegularFile).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
