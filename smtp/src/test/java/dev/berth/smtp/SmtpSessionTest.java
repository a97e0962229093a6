package dev.berth.smtp;

import static dev.berth.smtp.TestSmtp.authLine;
import static dev.berth.smtp.TestSmtp.data;
import static dev.berth.smtp.TestSmtp.send;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.mailwire.DotUnstuffer;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SmtpSessionTest {

    @TempDir
    Path dir;

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void greetingAndEhloAdvertiseTheExtensions() {
        TestSmtp smtp = TestSmtp.maildir(dir, "");
        SmtpSession s = smtp.session("192.0.2.1");
        assertThat(s.greeting().toString()).isEqualTo("220 mx.example.test ESMTP berth");
        assertThat(send(s, "EHLO client.test")).isEqualTo("""
                250-mx.example.test Hello client.test\r
                250-PIPELINING\r
                250-SIZE 26214400\r
                250-8BITMIME\r
                250-SMTPUTF8\r
                250-CHUNKING\r
                250 ENHANCEDSTATUSCODES""");
        assertThat(send(s, "HELO client.test")).isEqualTo("250 mx.example.test");
    }

    @Test
    void aMessageIsDeliveredWithTraceHeadersOnlyAfterTheStoreSucceeded() throws Exception {
        TestSmtp smtp = TestSmtp.maildir(dir, "");
        SmtpSession s = smtp.session("192.0.2.1");
        send(s, "EHLO client.test");
        assertThat(send(s, "MAIL FROM:<sender@other.test>")).isEqualTo("250 2.1.0 Ok");
        assertThat(send(s, "RCPT TO:<alice@example.test>")).isEqualTo("250 2.1.5 Ok");
        assertThat(send(s, "DATA")).isEqualTo("354 End data with <CR><LF>.<CR><LF>");
        assertThat(send(s, "RCPT TO:<alice@EXAMPLE.test>")).isEqualTo("250 2.1.5 Ok");
        assertThat(data(s, "Subject: hi\r\n\r\nbody\r\n")).startsWith("250 2.0.0 Ok: queued as ");
        assertThat(smtp.delivered("example.test", "alice")).hasSize(1);
        Path file = smtp.delivered("example.test", "alice").getFirst();
        String stored = Files.readString(file);
        assertThat(stored).startsWith("Return-Path: <sender@other.test>\r\nDelivered-To: alice@example.test\r\n"
                + "Received: from client.test (192.0.2.1)\r\n\tby mx.example.test with ESMTP id ");
        assertThat(stored).endsWith("\r\n\tfor <alice@example.test>; Sun, 22 Nov 2026 05:00:00 +0000\r\nSubject: hi\r\n\r\nbody\r\n");
    }

    @Test
    void commandsOutOfSequenceGet503() {
        SmtpSession s = TestSmtp.maildir(dir, "").session("192.0.2.1");
        assertThat(send(s, "MAIL FROM:<a@b.test>")).isEqualTo("503 5.5.1 Error: Send HELO or EHLO first");
        send(s, "EHLO c.test");
        assertThat(send(s, "RCPT TO:<alice@example.test>")).isEqualTo("503 5.5.1 Error: Need MAIL before RCPT");
        assertThat(send(s, "DATA")).isEqualTo("503 5.5.1 Error: Need MAIL command");
        send(s, "MAIL FROM:<a@b.test>");
        assertThat(send(s, "MAIL FROM:<a@b.test>")).isEqualTo("503 5.5.1 Error: Nested MAIL command");
        assertThat(send(s, "DATA")).isEqualTo("554 5.5.1 No valid recipients");
    }

    @Test
    void unknownSyntaxAndSimpleCommandsGetTheirCodes() {
        SmtpSession s = TestSmtp.maildir(dir, "limits: {errors: 50, error-delay: 0s}\n").session("192.0.2.1");
        assertThat(send(s, "FOO bar")).isEqualTo("500 5.5.2 Error: command not recognized");
        assertThat(send(s, "HELO")).startsWith("501 5.5.4 ");
        assertThat(send(s, "NOOP")).isEqualTo("250 2.0.0 Ok");
        assertThat(send(s, "RSET")).isEqualTo("250 2.0.0 Ok");
        assertThat(send(s, "VRFY alice")).startsWith("252 2.5.0 ");
        assertThat(send(s, "HELP")).startsWith("214 2.0.0 ");
        send(s, "EHLO c.test");
        assertThat(send(s, "MAIL FROM:a@b.test")).startsWith("501 5.5.4 ");
        assertThat(send(s, "MAIL FROM:<a@b.test> FOO=1")).isEqualTo("555 5.5.4 Unsupported parameter FOO");
        assertThat(send(s, "MAIL FROM:<a@b.test> RET=HDRS")).isEqualTo("555 5.5.4 Unsupported parameter RET");
        assertThat(send(s, "MAIL FROM:<a@b.test> SIZE=x")).isEqualTo("501 5.5.4 Bad SIZE parameter");
        assertThat(send(s, "MAIL FROM:<a@b.test> BODY=BINARYMIME")).isEqualTo("501 5.5.4 Unsupported BODY type");
        assertThat(send(s, "MAIL FROM:<" + "x".repeat(65) + "@b.test>")).startsWith("501 5.1.3 Bad address syntax: too long: local-part");
        assertThat(send(s, "MAIL FROM:<a@" + "d".repeat(60) + "." + "e".repeat(60) + "." + "f".repeat(60) + "." + "g".repeat(60) + "." + "h".repeat(60) + ".test>"))
                .startsWith("501 5.1.3 Bad address syntax: too long");
        assertThat(send(s, "STARTTLS")).isEqualTo("502 5.5.1 STARTTLS not offered");
        assertThat(send(s, "QUIT")).isEqualTo("221 2.0.0 mx.example.test Bye");
    }

    @Test
    void aControlCharacterInsideACommandLineIs501AndTheSessionLives() {
        SmtpSession s = TestSmtp.maildir(dir, "").session("192.0.2.1");
        // found by SmtpFuzzTest: the CR reached the 250 greeting line, whose record refused it
        assertThat(send(s, "EHLO c.te\0\0MA\rts")).isEqualTo("501 5.5.4 Syntax: control character in command line");
        assertThat(send(s, "MAIL FROM:<a@b.test>\r")).startsWith("501 5.5.4 ");
        assertThat(send(s, "EHLO c.test")).startsWith("250-mx.example.test Hello");
    }

    @Test
    void anEhloDomainOver255OctetsIs501SoThatTheReplyLineStaysWithin512() {
        SmtpSession s = TestSmtp.maildir(dir, "").session("192.0.2.1");
        assertThat(send(s, "EHLO " + "d".repeat(256))).isEqualTo("501 5.5.4 EHLO domain longer than 255 octets");
        assertThat(send(s, "HELO " + "\u00e9".repeat(128))).isEqualTo("501 5.5.4 HELO domain longer than 255 octets");
        assertThat(send(s, "EHLO " + "d".repeat(255))).startsWith("250-mx.example.test Hello");
    }

    @Test
    void nullSenderAndPostmasterAreAccepted() {
        SmtpSession s = TestSmtp.maildir(dir, "").session("192.0.2.1");
        send(s, "EHLO c.test");
        assertThat(send(s, "MAIL FROM:<>")).isEqualTo("250 2.1.0 Ok");
        assertThat(send(s, "RCPT TO:<Postmaster>")).isEqualTo("250 2.1.5 Ok");
        send(s, "DATA");
        assertThat(data(s, "Subject: bounce\r\n\r\nx\r\n")).startsWith("250 2.0.0");
        assertThat(TestSmtp.maildir(dir, "").delivered("example.test", "postmaster")).hasSize(1);
    }

    @Test
    void postmasterInAnyCaseWithOrWithoutALocalDomainGoesToTheConfiguredAddress() {
        TestSmtp smtp = TestSmtp.maildir(dir, "postmaster: alice@example.test\n");
        SmtpSession s = smtp.session("192.0.2.1");
        send(s, "EHLO c.test");
        send(s, "MAIL FROM:<a@b.test>");
        assertThat(send(s, "RCPT TO:<POSTMASTER>")).isEqualTo("250 2.1.5 Ok");
        assertThat(send(s, "RCPT TO:<PostMaster@Example.TEST>")).isEqualTo("250 2.1.5 Ok");
        send(s, "DATA");
        assertThat(data(s, "Subject: abuse report\r\n\r\nx\r\n")).startsWith("250 2.0.0");
        assertThat(smtp.delivered("example.test", "alice")).hasSize(1);
        assertThat(smtp.delivered("example.test", "postmaster")).isEmpty();
    }

    @Test
    void aPostmasterThatIsNoAddressIsAConfigError() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TestSmtp.maildir(dir, "postmaster: nobody\n"))
                .hasMessageContaining("postmaster");
    }

    @Test
    void unknownLocalUserGets550AndStrangersCannotRelay() {
        SmtpSession s = TestSmtp.maildir(dir, "").session("192.0.2.1");
        send(s, "EHLO c.test");
        send(s, "MAIL FROM:<a@b.test>");
        assertThat(send(s, "RCPT TO:<nobody@example.test>")).isEqualTo("550 5.1.1 <nobody@example.test>: Recipient address rejected: User unknown");
        assertThat(send(s, "RCPT TO:<someone@elsewhere.test>")).isEqualTo("554 5.7.1 <someone@elsewhere.test>: Relay access denied");
    }

    @Test
    void trustedOrAuthenticatedClientsWithoutANextHopGet550ForOtherDomains() {
        TestSmtp smtp = TestSmtp.maildir(dir, "relay-networks: [10.0.0.0/8]\nauth: {require-tls: false}\n");
        SmtpSession trusted = smtp.session("10.1.2.3");
        send(trusted, "EHLO c.test");
        send(trusted, "MAIL FROM:<a@b.test>");
        assertThat(send(trusted, "RCPT TO:<someone@elsewhere.test>")).isEqualTo("550 5.7.1 <someone@elsewhere.test>: Relaying not configured");
        SmtpSession stranger = smtp.session("192.0.2.1");
        send(stranger, "EHLO c.test");
        assertThat(send(stranger, "AUTH PLAIN " + b64("\0alice@example.test\0secret"))).isEqualTo("235 2.7.0 Authentication successful");
        send(stranger, "MAIL FROM:<alice@example.test>");
        assertThat(send(stranger, "RCPT TO:<someone@elsewhere.test>")).isEqualTo("550 5.7.1 <someone@elsewhere.test>: Relaying not configured");
    }

    @Test
    void authIsRefusedWithoutTlsUnlessConfigured() {
        SmtpSession s = TestSmtp.maildir(dir, "").session("192.0.2.1");
        send(s, "EHLO c.test");
        assertThat(send(s, "AUTH PLAIN " + b64("\0alice@example.test\0secret"))).isEqualTo("538 5.7.11 Encryption required for requested authentication mechanism");
    }

    @Test
    void authPlainAndLoginCheckTheCredentials() {
        TestSmtp smtp = TestSmtp.maildir(dir, "auth: {require-tls: false}\n");
        SmtpSession s = smtp.session("192.0.2.1");
        assertThat(send(s, "EHLO c.test")).contains("AUTH PLAIN LOGIN");
        assertThat(send(s, "AUTH PLAIN " + b64("\0alice@example.test\0wrong"))).isEqualTo("535 5.7.8 Authentication credentials invalid");
        assertThat(send(s, "AUTH CRAM-MD5")).isEqualTo("504 5.5.4 Unrecognized authentication mechanism");
        assertThat(send(s, "AUTH PLAIN")).isEqualTo("334");
        assertThat(authLine(s, "*")).isEqualTo("501 5.0.0 Authentication cancelled");
        assertThat(send(s, "AUTH LOGIN")).isEqualTo("334 VXNlcm5hbWU6");
        assertThat(authLine(s, b64("bob@example.test"))).isEqualTo("334 UGFzc3dvcmQ6");
        assertThat(authLine(s, b64("hunter2"))).isEqualTo("235 2.7.0 Authentication successful");
        assertThat(send(s, "AUTH PLAIN")).isEqualTo("503 5.5.1 Error: Already authenticated");
    }

    @Test
    void sizeLimitsAreEnforcedAtMailAndAtTheEndOfData() {
        SmtpSession s = TestSmtp.maildir(dir, "limits: {message-size: 100, error-delay: 0s}\n").session("192.0.2.1");
        send(s, "EHLO c.test");
        assertThat(send(s, "MAIL FROM:<a@b.test> SIZE=101")).isEqualTo("552 5.3.4 Message size exceeds fixed limit");
        send(s, "MAIL FROM:<a@b.test> SIZE=100");
        send(s, "RCPT TO:<alice@example.test>");
        send(s, "DATA");
        assertThat(data(s, "x".repeat(101))).isEqualTo("552 5.3.4 Message size exceeds fixed limit");
        assertThat(send(s, "RCPT TO:<alice@example.test>")).startsWith("503");
    }

    @Test
    void recipientsPastTheLimitGet452() {
        SmtpSession s = TestSmtp.maildir(dir, "limits: {recipients: 2, error-delay: 0s}\n").session("192.0.2.1");
        send(s, "EHLO c.test");
        send(s, "MAIL FROM:<a@b.test>");
        send(s, "RCPT TO:<alice@example.test>");
        send(s, "RCPT TO:<bob@example.test>");
        assertThat(send(s, "RCPT TO:<postmaster@example.test>")).isEqualTo("452 4.5.3 Too many recipients");
    }

    @Test
    void recipientsPastTheLimitAreNoErrorsSoTheAcceptedOnesStillGetTheMessage() {
        TestSmtp smtp = TestSmtp.maildir(dir, "limits: {recipients: 2, errors: 3, error-delay: 1s}\n");
        SmtpSession s = smtp.session("192.0.2.1");
        send(s, "EHLO c.test");
        send(s, "MAIL FROM:<a@b.test>");
        send(s, "RCPT TO:<alice@example.test>");
        send(s, "RCPT TO:<bob@example.test>");
        for (int i = 0; i < 10; i++) {
            SessionResponse r = s.handle(CommandParser.parse("RCPT TO:<postmaster@example.test>", 36));
            assertThat(TestSmtp.text(r)).isEqualTo("452 4.5.3 Too many recipients");
            assertThat(r.next()).isEqualTo(SessionResponse.Next.READ);
            assertThat(r.delay()).isZero();
        }
        assertThat(send(s, "DATA")).startsWith("354 ");
        assertThat(data(s, "Subject: many\r\n\r\nx\r\n")).startsWith("250 2.0.0");
        assertThat(smtp.delivered("example.test", "alice")).hasSize(1);
        assertThat(smtp.delivered("example.test", "bob")).hasSize(1);
    }

    @Test
    void tooManyErrorsClose421AndErrorsAfterTheThirdAreDelayed() {
        SmtpSession s = TestSmtp.maildir(dir, "limits: {errors: 5, error-delay: 250ms}\n").session("192.0.2.1");
        for (int i = 1; i <= 4; i++) {
            SessionResponse r = s.handle(CommandParser.parse("BOGUS", 7));
            assertThat(r.reply().orElseThrow().code()).isEqualTo(500);
            assertThat(r.delay().toMillis()).isEqualTo(i > 3 ? 250 : 0);
        }
        SessionResponse last = s.handle(CommandParser.parse("BOGUS", 7));
        assertThat(TestSmtp.text(last)).isEqualTo("421 4.7.0 mx.example.test Too many errors, closing connection");
        assertThat(last.next()).isEqualTo(SessionResponse.Next.CLOSE);
    }

    @Test
    void bareLineEndsAndLongLinesRejectTheMessageNotTheSession() {
        SmtpSession s = TestSmtp.maildir(dir, "").session("192.0.2.1");
        send(s, "EHLO c.test");
        send(s, "MAIL FROM:<a@b.test>");
        send(s, "RCPT TO:<alice@example.test>");
        send(s, "DATA");
        assertThat(TestSmtp.text(s.handle(new SmtpInput.DataEnd(DotUnstuffer.Problem.BARE_LINE_END))))
                .isEqualTo("550 5.6.11 Bare CR or LF in message data; use CRLF");
        send(s, "MAIL FROM:<a@b.test>");
        send(s, "RCPT TO:<alice@example.test>");
        send(s, "DATA");
        assertThat(TestSmtp.text(s.handle(new SmtpInput.DataEnd(DotUnstuffer.Problem.LINE_TOO_LONG))))
                .startsWith("500 5.5.6");
        assertThat(send(s, "NOOP")).isEqualTo("250 2.0.0 Ok");
    }

    @Test
    void bdatChunksAreAcknowledgedAndTheLastDelivers() throws Exception {
        TestSmtp smtp = TestSmtp.maildir(dir, "");
        SmtpSession s = smtp.session("192.0.2.1");
        send(s, "EHLO c.test");
        assertThat(TestSmtp.text(s.handle(new SmtpInput.Bdat(3, false)))).isEmpty();
        s.handle(new SmtpInput.Content(Unpooled.copiedBuffer("abc", StandardCharsets.US_ASCII)));
        assertThat(TestSmtp.text(s.handle(new SmtpInput.ChunkEnd()))).isEqualTo("503 5.5.1 Error: Need MAIL command");
        send(s, "MAIL FROM:<a@b.test>");
        send(s, "RCPT TO:<alice@example.test>");
        s.handle(new SmtpInput.Bdat(9, false));
        s.handle(new SmtpInput.Content(Unpooled.copiedBuffer("Subject: ", StandardCharsets.US_ASCII)));
        assertThat(TestSmtp.text(s.handle(new SmtpInput.ChunkEnd()))).isEqualTo("250 2.0.0 9 octets received");
        assertThat(send(s, "DATA")).isEqualTo("503 5.5.1 Error: DATA after BDAT");
        s.handle(new SmtpInput.Bdat(5, true));
        s.handle(new SmtpInput.Content(Unpooled.copiedBuffer("x\r\n\r\n", StandardCharsets.US_ASCII)));
        assertThat(TestSmtp.text(s.handle(new SmtpInput.ChunkEnd()))).startsWith("250 2.0.0 Ok: queued as");
        assertThat(Files.readString(smtp.delivered("example.test", "alice").getFirst())).endsWith("\r\nSubject: x\r\n\r\n");
    }

    @Test
    void smtputf8IsNeededForNonAsciiAddresses() {
        SmtpSession s = TestSmtp.maildir(dir, "").session("192.0.2.1");
        send(s, "EHLO c.test");
        assertThat(send(s, "MAIL FROM:<jörg@b.test>")).isEqualTo("553 5.6.7 Non-ASCII address needs SMTPUTF8");
        assertThat(send(s, "MAIL FROM:<jörg@b.test> SMTPUTF8 BODY=8BITMIME")).isEqualTo("250 2.1.0 Ok");
    }

    @Test
    void drainingAnswers421AtTheNextCommandAfterTheTransaction() {
        SmtpSession s = TestSmtp.maildir(dir, "").session("192.0.2.1");
        send(s, "EHLO c.test");
        send(s, "MAIL FROM:<a@b.test>");
        s.drain();
        assertThat(send(s, "RCPT TO:<alice@example.test>")).isEqualTo("250 2.1.5 Ok");
        send(s, "DATA");
        assertThat(data(s, "Subject: x\r\n\r\ny\r\n")).startsWith("250 2.0.0");
        SessionResponse r = s.handle(CommandParser.parse("NOOP", 6));
        assertThat(TestSmtp.text(r)).isEqualTo("421 4.3.2 mx.example.test Service shutting down, closing transmission channel");
        assertThat(r.next()).isEqualTo(SessionResponse.Next.CLOSE);
    }

    @Test
    void aFailedStoreGives451AndNothingIsDelivered() throws Exception {
        TestSmtp smtp = TestSmtp.maildir(dir, "");
        Files.createDirectories(dir.resolve("mail/example.test"));
        Files.writeString(dir.resolve("mail/example.test/bob"), "not a directory");
        SmtpSession s = smtp.session("192.0.2.1");
        send(s, "EHLO c.test");
        send(s, "MAIL FROM:<a@b.test>");
        send(s, "RCPT TO:<alice@example.test>");
        send(s, "RCPT TO:<bob@example.test>");
        send(s, "DATA");
        assertThat(data(s, "Subject: x\r\n\r\ny\r\n")).isEqualTo("451 4.3.0 Local error in processing");
        assertThat(smtp.delivered("example.test", "alice")).isEmpty();
    }
}
