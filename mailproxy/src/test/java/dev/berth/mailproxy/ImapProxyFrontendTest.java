package dev.berth.mailproxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.service.DrainEvent;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The IMAP pre-login conversation on an EmbeddedChannel, split at every byte. */
class ImapProxyFrontendTest {

    private static final String GREETING = "* OK [CAPABILITY IMAP4rev1 SASL-IR ID AUTH=PLAIN] berth IMAP proxy ready.\r\n";

    @Test
    void literalsQuotedStringsAndListsParseTheSameAtEverySplitPoint() {
        String input = "a CAPABILITY\r\n"
                + "b LOGIN {13}\r\nalice@9.9.9.9 {6}\r\nsecret\r\n"
                + "c ID (\"name\" {3}\r\nfoo \"version\" \"1\\\"2\")\r\n"
                + "d LOGIN \"al\\\\ice@127.0.0.1:9\" {3+}\r\npw!\r\n"
                + "e NOOP\r\n";
        String expected = GREETING
                + "* CAPABILITY IMAP4rev1 SASL-IR ID AUTH=PLAIN\r\na OK CAPABILITY completed\r\n"
                + "+ Ready for literal data\r\n+ Ready for literal data\r\n"
                + "b NO [AUTHENTICATIONFAILED] server 9.9.9.9:143 is not allowed\r\n"
                + "+ Ready for literal data\r\n"
                + "* ID (\"name\" \"berth\")\r\nc OK ID completed\r\n"
                + "d NO [AUTHENTICATIONFAILED] server 127.0.0.1:9 is not allowed\r\n"
                + "e OK NOOP completed\r\n";
        List<String> transcripts = TestRuntime.everySplit(Protocol.IMAP, input);
        assertThat(transcripts).allSatisfy(t -> assertThat(t).isEqualTo(expected));
    }

    @Test
    void authenticatePlainWithAContinuationAndCancel() {
        String bad = Base64.getEncoder().encodeToString("\0alice@10.1.1.1\0pw".getBytes(StandardCharsets.UTF_8));
        String input = "a AUTHENTICATE PLAIN\r\n" + bad + "\r\nb AUTHENTICATE PLAIN\r\n*\r\nc AUTHENTICATE CRAM-MD5\r\n"
                + "d AUTHENTICATE PLAIN !!!\r\n";
        String expected = GREETING + "+ \r\na NO [AUTHENTICATIONFAILED] server 10.1.1.1:143 is not allowed\r\n"
                + "+ \r\nb BAD AUTHENTICATE cancelled\r\n"
                + "c NO [AUTHENTICATIONFAILED] unsupported mechanism\r\n"
                + "d BAD malformed PLAIN response\r\n";
        assertThat(TestRuntime.everySplit(Protocol.IMAP, input))
                .allSatisfy(t -> assertThat(t).isEqualTo(expected));
    }

    @Test
    void syntaxErrorsAndCommandsBeforeLoginGetBad() {
        String input = "\r\n+x NOOP\r\na\r\nb SELECT INBOX\r\nc LOGIN onlyuser\r\nd LOGIN \"open\r\ne LOGOUT\r\nf NOOP\r\n";
        String expected = GREETING + "* BAD empty command line\r\n* BAD invalid tag\r\na BAD missing command\r\n"
                + "b BAD SELECT is not allowed before login\r\nc BAD LOGIN takes a user name and a password\r\n"
                + "d BAD unterminated quoted string\r\n* BYE logging out\r\ne OK LOGOUT completed\r\n";
        assertThat(TestRuntime.everySplit(Protocol.IMAP, input))
                .allSatisfy(t -> assertThat(t).isEqualTo(expected));
    }

    @Test
    void aLiteralOverTheBoundClosesTheConnection() {
        EmbeddedChannel channel = TestRuntime.frontend(Protocol.IMAP);
        assertThat(TestRuntime.send(channel, "a LOGIN {99999}\r\n")).endsWith("* BYE line or literal too long\r\n");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void aChainOfLiteralsPastTheCommandBoundClosesTheConnection() {
        EmbeddedChannel channel = TestRuntime.frontend(Protocol.IMAP);
        TestRuntime.outbound(channel);
        String literal = " {8192+}\r\n" + "x".repeat(8192);
        StringBuilder sent = new StringBuilder("a LOGIN");
        String answered = "";
        for (int i = 0; i < 100 && channel.isOpen(); i++) {
            answered = TestRuntime.send(channel, (i == 0 ? "a LOGIN" : "") + literal);
            sent.append(literal);
        }
        assertThat(channel.isOpen()).as("open after %d bytes of one command", sent.length()).isFalse();
        assertThat(answered).isEqualTo("* BYE command too long\r\n");
        assertThat(sent.length()).isLessThan(2 * ImapRequestReader.MAX_COMMAND);
    }

    @Test
    void tenRefusalsCloseTheConnection() {
        EmbeddedChannel channel = TestRuntime.frontend(Protocol.IMAP);
        assertThat(TestRuntime.send(channel, "x FETCH 1\r\n".repeat(10))).endsWith("* BYE too many errors\r\n");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void drainingClosesAConnectionAtTheLoginPrompt() {
        EmbeddedChannel channel = TestRuntime.frontend(Protocol.IMAP);
        TestRuntime.outbound(channel);
        channel.pipeline().fireUserEventTriggered(DrainEvent.INSTANCE);
        assertThat(TestRuntime.outbound(channel)).isEqualTo("* BYE server shutting down, try again later\r\n");
        assertThat(channel.isOpen()).isFalse();
    }
}
