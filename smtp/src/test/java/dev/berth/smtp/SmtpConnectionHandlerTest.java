package dev.berth.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The connection handler on an EmbeddedChannel whose clock the test moves by hand. */
class SmtpConnectionHandlerTest {

    @TempDir
    Path dir;

    private static EmbeddedChannel open(TestSmtp smtp) {
        EmbeddedChannel channel = new EmbeddedChannel(false, false);
        smtp.handler.initChannel(channel);
        try {
            channel.register();
            channel.freezeTime();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return channel;
    }

    private static String output(EmbeddedChannel channel) {
        StringBuilder out = new StringBuilder();
        for (ByteBuf b; (b = channel.readOutbound()) != null; b.release()) {
            out.append(b.toString(StandardCharsets.UTF_8));
        }
        return out.toString();
    }

    private static void send(EmbeddedChannel channel, String text) {
        channel.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
    }

    @Test
    void idleConnectionGets421AfterTheIdleTimeoutAndNotBefore() {
        EmbeddedChannel channel = open(TestSmtp.maildir(dir, "limits: {idle-timeout: 60s, data-timeout: 600s}\n"));
        assertThat(output(channel)).isEqualTo("220 mx.example.test ESMTP berth\r\n");
        channel.advanceTimeBy(59, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        send(channel, "NOOP\r\n");
        assertThat(output(channel)).isEqualTo("250 2.0.0 Ok\r\n");
        channel.advanceTimeBy(59, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat(channel.isActive()).isTrue();
        channel.advanceTimeBy(2, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat(output(channel)).isEqualTo("421 4.4.2 Timeout exceeded, closing connection\r\n");
        assertThat(channel.isActive()).isFalse();
    }

    @Test
    void insideATransactionTheDataTimeoutApplies() {
        EmbeddedChannel channel = open(TestSmtp.maildir(dir, "limits: {idle-timeout: 60s, data-timeout: 600s}\n"));
        send(channel, "HELO c.test\r\nMAIL FROM:<a@b.test>\r\n");
        output(channel);
        channel.advanceTimeBy(300, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat(channel.isActive()).isTrue();
        channel.advanceTimeBy(301, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat(output(channel)).isEqualTo("421 4.4.2 Timeout exceeded, closing connection\r\n");
        assertThat(channel.isActive()).isFalse();
    }

    @Test
    void errorRepliesAfterTheThirdWaitForTheErrorDelayAndLaterCommandsWaitBehindThem() {
        EmbeddedChannel channel = open(TestSmtp.maildir(dir, "limits: {error-delay: 5s}\n"));
        output(channel);
        send(channel, "X\r\nX\r\nX\r\nX\r\nNOOP\r\n");
        assertThat(output(channel)).isEqualTo("500 5.5.2 Error: command not recognized\r\n".repeat(3));
        channel.advanceTimeBy(4, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat(output(channel)).isEmpty();
        channel.advanceTimeBy(1, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat(output(channel)).isEqualTo("500 5.5.2 Error: command not recognized\r\n250 2.0.0 Ok\r\n");
    }

    @Test
    void replyToAGroupIsFlushedOnceTheInputIsDrained() {
        EmbeddedChannel channel = open(TestSmtp.maildir(dir, ""));
        output(channel);
        send(channel, "NOOP\r\nRSET\r\nNOOP");
        assertThat(output(channel)).isEqualTo("250 2.0.0 Ok\r\n250 2.0.0 Ok\r\n");
        send(channel, "\r\nQUIT\r\n");
        assertThat(output(channel)).isEqualTo("250 2.0.0 Ok\r\n221 2.0.0 mx.example.test Bye\r\n");
        assertThat(channel.isActive()).isFalse();
    }
}
