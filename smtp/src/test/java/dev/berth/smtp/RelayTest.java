package dev.berth.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testpeers.Await;
import dev.berth.testpeers.Peer;
import dev.berth.testpeers.SmtpSink;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** deliver: relay into a real Postfix smtp-sink, into another berth (BDAT), and to nowhere. */
class RelayTest {

    @TempDir
    Path dir;

    private SmtpSink sink;

    @AfterEach
    void stopSink() {
        if (sink != null) {
            sink.close();
        }
    }

    private int startSink() {
        sink = SmtpSink.start(dir.resolve("sink"));
        return sink.port();
    }

    private TestSmtp relay(int port, String extra) {
        return TestSmtp.create(dir, """
                hostname: relay.example.test
                deliver: relay
                relay-to: 127.0.0.1:%d
                domains: [example.test]
                limits: {error-delay: 0s}
                """.formatted(port) + extra, "");
    }

    @Test
    void theClientHearsTheSinksRepliesAndTheBytesArrive() throws Exception {
        TestSmtp smtp = relay(startSink(), "");
        try (TestServer server = new TestServer(smtp.handler); TestServer.Client c = server.connect()) {
            c.converse("""
                    S: 220 relay.example.test ESMTP berth
                    C: EHLO client.test
                    C: MAIL FROM:<a@b.test> SIZE=60 RET=HDRS ENVID=QQ314159
                    C: RCPT TO:<alice@example.test> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;alice@example.test
                    C: RCPT TO:<victim@elsewhere.test>
                    C: DATA
                    S: 250-*
                    S: 250-*
                    S: 250-*
                    S: 250-*
                    S: 250-*
                    S: 250-*
                    S: 250-ENHANCEDSTATUSCODES
                    S: 250 DSN
                    S: 250 2.1.0 next hop: Ok
                    S: 250 2.1.5 next hop: Ok
                    S: 554 5.7.1 <victim@elsewhere.test>: Relay access denied
                    S: 354 End data with <CR><LF>.<CR><LF>
                    C: Subject: relayed
                    C:
                    C: ..dot line
                    C: .
                    S: 250 2.0.0 next hop: Ok
                    C: QUIT
                    S: 221 2.0.0 relay.example.test Bye
                    """);
        }
        sink.awaitMessages(1, java.time.Duration.ofSeconds(10));
        List<Path> files = sink.messages();
        String dump = Files.readString(files.getFirst(), StandardCharsets.ISO_8859_1);
        assertThat(dump).contains("X-Mail-Args: <a@b.test> RET=HDRS ENVID=QQ314159\n")
                .contains("X-Rcpt-Args: <alice@example.test> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;alice@example.test\n")
                .doesNotContain("elsewhere").contains("Subject: relayed\n\n.dot line\n");
    }

    @Test
    void anUnreachableNextHopGives451() throws Exception {
        TestSmtp smtp = relay(Peer.freePort(), "");
        try (TestServer server = new TestServer(smtp.handler); TestServer.Client c = server.connect()) {
            c.converse("""
                    S: 220 *
                    C: HELO client.test
                    S: 250 relay.example.test
                    C: MAIL FROM:<a@b.test>
                    S: 451 4.4.1 Next hop unreachable, try again later
                    """);
        }
    }

    @Test
    void relayIntoAnotherBerthUsesBdatAndArrivesByteExact() throws Exception {
        Path inner = Files.createDirectories(dir.resolve("inner"));
        TestSmtp target = TestSmtp.maildir(inner, "");
        byte[] message = "Subject: chained\r\n\r\n.starts with a dot\r\nend\r\n".getBytes(StandardCharsets.US_ASCII);
        try (TestServer next = new TestServer(target.handler)) {
            TestSmtp smtp = relay(next.port(), "relay-networks: [127.0.0.1/32]\n");
            try (TestServer server = new TestServer(smtp.handler); TestServer.Client c = server.connect()) {
                c.converse("""
                        S: 220 *
                        C: HELO client.test
                        S: 250 relay.example.test
                        C: MAIL FROM:<a@b.test>
                        S: 250 2.1.0 next hop: Ok
                        C: RCPT TO:<nobody@example.test>
                        S: 550 5.1.1 next hop: <nobody@example.test>: Recipient address rejected: User unknown
                        C: RCPT TO:<bob@example.test>
                        S: 250 2.1.5 next hop: Ok
                        C: DATA
                        S: 354 *
                        C: Subject: chained
                        C:
                        C: ..starts with a dot
                        C: end
                        C: .
                        S: 250 2.0.0 next hop: Ok: queued as *
                        """);
            }
        }
        String stored = Files.readString(target.delivered("example.test", "bob").getFirst(), StandardCharsets.ISO_8859_1);
        assertThat(stored).endsWith("\r\n" + new String(message, StandardCharsets.ISO_8859_1)).contains("Received: from relay.example.test (127.0.0.1)");
    }

    @Test
    void maildirServiceRelaysOtherDomainsOnlyForTrustedClientsAndOneRoutePerTransaction() throws Exception {
        Path inner = Files.createDirectories(dir.resolve("inner"));
        TestSmtp target = TestSmtp.create(inner, """
                maildir: mail
                users: users.txt
                domains: [example.test]
                relay-networks: [127.0.0.1/32]
                """, "");
        try (TestServer next = new TestServer(target.handler)) {
            TestSmtp smtp = TestSmtp.create(dir, """
                    hostname: mx.local.test
                    maildir: mail
                    users: users.txt
                    domains: [local.test]
                    relay-to: 127.0.0.1:%d
                    relay-networks: [10.0.0.0/8]
                    limits: {error-delay: 0s}
                    """.formatted(next.port()), "");
            SmtpSession stranger = smtp.session("192.0.2.7");
            TestSmtp.send(stranger, "EHLO c.test");
            TestSmtp.send(stranger, "MAIL FROM:<a@b.test>");
            assertThat(TestSmtp.send(stranger, "RCPT TO:<alice@example.test>")).isEqualTo("554 5.7.1 <alice@example.test>: Relay access denied");
            SmtpSession trusted = smtp.session("10.0.0.5");
            TestSmtp.send(trusted, "EHLO c.test");
            TestSmtp.send(trusted, "MAIL FROM:<a@b.test>");
            assertThat(TestSmtp.send(trusted, "RCPT TO:<alice@example.test>")).isEqualTo("250 2.1.5 next hop: Ok");
            assertThat(TestSmtp.send(trusted, "RCPT TO:<bob@local.test>")).startsWith("452 4.5.3 ");
            TestSmtp.send(trusted, "DATA");
            assertThat(TestSmtp.data(trusted, "Subject: out\r\n\r\nx\r\n")).startsWith("250 2.0.0 next hop: Ok: queued as");
            trusted.close();
        }
        assertThat(target.delivered("example.test", "alice")).hasSize(1);
    }

    @Test
    void aKeptNextHopConnectionClosedWhileIdleIsReplacedAtTheNextMail() throws Exception {
        Path inner = Files.createDirectories(dir.resolve("inner"));
        TestSmtp target = TestSmtp.maildir(inner, "limits: {idle-timeout: 300ms}\n");
        try (TestServer next = new TestServer(target.handler)) {
            TestSmtp smtp = relay(next.port(), "");
            SmtpSession s = smtp.session("192.0.2.9");
            TestSmtp.send(s, "EHLO c.test");
            assertThat(TestSmtp.send(s, "MAIL FROM:<a@b.test>")).isEqualTo("250 2.1.0 next hop: Ok");
            assertThat(TestSmtp.send(s, "RSET")).isEqualTo("250 2.0.0 Ok");
            Await.require("the next hop closed the idle connection", java.time.Duration.ofSeconds(10),
                    () -> target.handler.openConnections() == 0);
            assertThat(TestSmtp.send(s, "MAIL FROM:<a@b.test>")).isEqualTo("250 2.1.0 next hop: Ok");
            assertThat(TestSmtp.send(s, "RCPT TO:<alice@example.test>")).isEqualTo("250 2.1.5 next hop: Ok");
            s.close();
        }
    }

    @Test
    void anAuthenticatedStrangerMayRelayAndAnUnauthenticatedOneMayNot() throws Exception {
        TestSmtp smtp = relay(startSink(), "users: users.txt\nauth: {require-tls: false}\n");
        SmtpSession stranger = smtp.session("192.0.2.9");
        TestSmtp.send(stranger, "EHLO c.test");
        assertThat(TestSmtp.send(stranger, "MAIL FROM:<a@b.test>")).isEqualTo("250 2.1.0 next hop: Ok");
        assertThat(TestSmtp.send(stranger, "RCPT TO:<x@elsewhere.test>")).isEqualTo("554 5.7.1 <x@elsewhere.test>: Relay access denied");
        assertThat(TestSmtp.send(stranger, "RCPT TO:<alice@example.test>")).isEqualTo("250 2.1.5 next hop: Ok");
        assertThat(TestSmtp.send(stranger, "RSET")).isEqualTo("250 2.0.0 Ok");
        String plain = java.util.Base64.getEncoder().encodeToString("\0alice@example.test\0secret".getBytes(StandardCharsets.UTF_8));
        assertThat(TestSmtp.send(stranger, "AUTH PLAIN " + plain)).isEqualTo("235 2.7.0 Authentication successful");
        assertThat(TestSmtp.send(stranger, "MAIL FROM:<alice@example.test>")).isEqualTo("250 2.1.0 next hop: Ok");
        assertThat(TestSmtp.send(stranger, "RCPT TO:<x@elsewhere.test>")).isEqualTo("250 2.1.5 next hop: Ok");
        TestSmtp.send(stranger, "DATA");
        assertThat(TestSmtp.data(stranger, "Subject: forwarded\r\n\r\nx\r\n")).isEqualTo("250 2.0.0 next hop: Ok");
        stranger.close();
        sink.awaitMessages(1, java.time.Duration.ofSeconds(10));
        String dump = Files.readString(sink.messages().getFirst(), StandardCharsets.ISO_8859_1);
        assertThat(dump).contains("X-Rcpt-Args: <x@elsewhere.test>").contains("Subject: forwarded\n");
    }
}
