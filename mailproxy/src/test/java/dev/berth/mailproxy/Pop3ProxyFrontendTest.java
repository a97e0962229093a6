package dev.berth.mailproxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.service.DrainEvent;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The POP3 AUTHORIZATION conversation on an EmbeddedChannel, split at every byte. */
class Pop3ProxyFrontendTest {

    @Test
    void thePreLoginConversationIsTheSameAtEverySplitPoint() {
        String plain = Base64.getEncoder().encodeToString("\0bob@10.0.0.9:110\0pw".getBytes(StandardCharsets.UTF_8));
        String input = "CAPA\r\nPASS early\r\nUSER alice@9.9.9.9\r\nPASS pass word\r\nAPOP alice 0123\r\n"
                + "AUTH\r\nAUTH PLAIN\r\n" + plain + "\r\nAUTH PLAIN " + plain + "\r\nAUTH PLAIN\r\n*\r\nAUTH LOGIN\r\n"
                + "USER alice\r\nPASS x\r\nSTLS\r\nRETR 1\r\nquit\r\n";
        String refusedBob = "-ERR [AUTH] server 10.0.0.9:110 is not allowed\r\n";
        String expected = "+OK berth POP3 proxy ready.\r\n"
                + "+OK Capability list follows\r\nUSER\r\nSASL PLAIN\r\nRESP-CODES\r\nAUTH-RESP-CODE\r\nIMPLEMENTATION berth-proxy\r\n.\r\n"
                + "-ERR send USER first\r\n"
                + "+OK send PASS\r\n-ERR [AUTH] server 9.9.9.9:110 is not allowed\r\n"
                + "-ERR APOP is not supported.\r\n"
                + "+OK\r\nPLAIN\r\n.\r\n"
                + "+ \r\n" + refusedBob + refusedBob
                + "+ \r\n-ERR [AUTH] authentication cancelled\r\n"
                + "-ERR [AUTH] unsupported mechanism\r\n"
                + "+OK send PASS\r\n-ERR [AUTH] name the server as user@host or user#host\r\n"
                + "-ERR STLS not available\r\n"
                + "-ERR unknown command or not allowed before login\r\n"
                + "-ERR too many errors, bye\r\n"; // the tenth refusal closes: QUIT is never read
        assertThat(TestRuntime.everySplit(Protocol.POP3, input))
                .allSatisfy(t -> assertThat(t).isEqualTo(expected));
    }

    @Test
    void quitClosesTheConnection() {
        EmbeddedChannel channel = TestRuntime.frontend(Protocol.POP3);
        assertThat(TestRuntime.send(channel, "QUIT\r\n")).endsWith("+OK bye\r\n");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void aLineOverTheBoundClosesTheConnection() {
        EmbeddedChannel channel = TestRuntime.frontend(Protocol.POP3);
        assertThat(TestRuntime.send(channel, "USER " + "x".repeat(2000))).endsWith("-ERR line too long\r\n");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void drainingClosesAConnectionAtTheLoginPrompt() {
        EmbeddedChannel channel = TestRuntime.frontend(Protocol.POP3);
        TestRuntime.outbound(channel);
        channel.pipeline().fireUserEventTriggered(DrainEvent.INSTANCE);
        assertThat(TestRuntime.outbound(channel)).isEqualTo("-ERR [SYS/TEMP] server shutting down, try again later\r\n");
        assertThat(channel.isOpen()).isFalse();
    }
}
