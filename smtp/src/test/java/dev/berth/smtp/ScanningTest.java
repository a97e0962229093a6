package dev.berth.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testpeers.Clamd;
import dev.berth.testpeers.Peer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The signatures scanner (EICAR) in the path of a message: reject, quarantine, tag. */
class ScanningTest {

    private static final String SCANNERS = "sig: {kind: signatures}\n";

    @TempDir
    Path dir;

    private static String infected() {
        return Clamd.infectedMessage("Subject: invoice\r\n");
    }

    private TestSmtp service(String extra) {
        return TestSmtp.create(dir, """
                hostname: mx.example.test
                maildir: mail
                users: users.txt
                domains: [example.test]
                limits: {error-delay: 0s}
                scan: [sig]
                """ + extra, SCANNERS);
    }

    private static String send(TestSmtp smtp, String message) {
        SmtpSession s = smtp.session("192.0.2.9");
        TestSmtp.send(s, "EHLO c.test");
        TestSmtp.send(s, "MAIL FROM:<a@b.test>");
        TestSmtp.send(s, "RCPT TO:<alice@example.test>");
        TestSmtp.send(s, "DATA");
        return TestSmtp.data(s, message);
    }

    @Test
    void eicarInABase64AttachmentIsRejectedWith554() {
        TestSmtp smtp = service("");
        assertThat(send(smtp, infected())).startsWith("554 5.7.1 Message rejected: virus found: ");
        assertThat(smtp.delivered("example.test", "alice")).isEmpty();
    }

    @Test
    void cleanMailIsDeliveredWithTheScanHeader() throws Exception {
        TestSmtp smtp = service("");
        assertThat(send(smtp, "Subject: fine\r\n\r\nhello\r\n")).startsWith("250 2.0.0");
        assertThat(Files.readString(smtp.delivered("example.test", "alice").getFirst()))
                .contains("X-Berth-Scan: clean by sig\r\nSubject: fine\r\n");
    }

    @Test
    void quarantineAcceptsAndStoresOnlyInTheQuarantineMaildir() throws Exception {
        TestSmtp smtp = service("on-virus: quarantine\nquarantine: quarantine\n");
        assertThat(send(smtp, infected())).startsWith("250 2.0.0 Ok: queued as ").endsWith("(quarantined)");
        assertThat(smtp.delivered("example.test", "alice")).isEmpty();
        try (var files = Files.list(dir.resolve("quarantine/new"))) {
            List<Path> held = files.toList();
            assertThat(held).hasSize(1);
            assertThat(Files.readString(held.getFirst())).contains("X-Berth-Virus: ").contains("Subject: invoice");
        }
    }

    @Test
    void tagDeliversWithTheVirusHeader() throws Exception {
        TestSmtp smtp = service("on-virus: tag\n");
        assertThat(send(smtp, infected())).startsWith("250 2.0.0");
        assertThat(Files.readString(smtp.delivered("example.test", "alice").getFirst())).contains("X-Berth-Virus: ");
    }

    @Test
    void aRelayedVirusIsRejectedAndTheNextHopResetNotGivenTheMessage() throws Exception {
        Path inner = Files.createDirectories(dir.resolve("inner"));
        TestSmtp target = TestSmtp.maildir(inner, "");
        try (TestServer next = new TestServer(target.handler)) {
            TestSmtp smtp = TestSmtp.create(dir, """
                    deliver: relay
                    relay-to: 127.0.0.1:%d
                    domains: [example.test]
                    scan: [sig]
                    """.formatted(next.port()), SCANNERS);
            SmtpSession s = smtp.session("192.0.2.9");
            TestSmtp.send(s, "EHLO c.test");
            assertThat(TestSmtp.send(s, "MAIL FROM:<a@b.test>")).isEqualTo("250 2.1.0 next hop: Ok");
            assertThat(TestSmtp.send(s, "RCPT TO:<alice@example.test>")).isEqualTo("250 2.1.5 next hop: Ok");
            TestSmtp.send(s, "DATA");
            assertThat(TestSmtp.data(s, infected())).startsWith("554 5.7.1 Message rejected: virus found");
            assertThat(TestSmtp.send(s, "MAIL FROM:<a@b.test>")).isEqualTo("250 2.1.0 next hop: Ok");
            s.close();
        }
        assertThat(target.delivered("example.test", "alice")).isEmpty();
    }

    @Test
    void anUnavailableScannerWithTempfailGives451() throws Exception {
        int closed = Peer.freePort();
        TestSmtp smtp = TestSmtp.create(dir, """
                maildir: mail
                users: users.txt
                domains: [example.test]
                scan: [av]
                """, "av: {kind: clamd, address: \"127.0.0.1:%d\", timeout: 2s, on-unavailable: tempfail}\n".formatted(closed));
        assertThat(send(smtp, "Subject: x\r\n\r\ny\r\n")).isEqualTo("451 4.7.1 Content scanner unavailable, try again later");
        assertThat(smtp.delivered("example.test", "alice")).isEmpty();
    }
}
