package dev.berth.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testpeers.Commands;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real SMTP clients installed on the machine against the in-test server over loopback. */
class RealClientsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    /** The stored file is the three trace headers, then exactly the message. */
    private static void assertStoredExactly(Path stored, byte[] message) throws Exception {
        String text = Files.readString(stored, StandardCharsets.ISO_8859_1);
        assertThat(text).startsWith("Return-Path: <");
        int received = text.indexOf("\r\nReceived: from ");
        int forLine = text.indexOf("\r\n\tfor <", received);
        int end = text.indexOf("\r\n", forLine + 2) + 2;
        assertThat(text.substring(end)).isEqualTo(new String(message, StandardCharsets.ISO_8859_1));
    }

    @Test
    void swaksPipeliningDeliversIntoTheMaildir() throws Exception {
        TestSmtp smtp = TestSmtp.maildir(dir, "");
        try (TestServer server = new TestServer(smtp.handler)) {
            Commands.Result r = Commands.run(dir, "", TIMEOUT, List.of("swaks", "--server", "127.0.0.1:" + server.port(),
                    "--to", "alice@example.test,bob@example.test", "--from", "sender@other.test", "--pipeline",
                    "--header", "Subject: swaks", "--body", "hello from swaks", "--helo", "swaks.test"));
            assertThat(r.exit()).as(r.output()).isZero();
            assertThat(r.output()).contains("<-  250 2.0.0 Ok: queued as").doesNotContain("<** ");
        }
        String stored = Files.readString(smtp.delivered("example.test", "alice").getFirst());
        assertThat(stored).contains("Received: from swaks.test (127.0.0.1)").contains("Subject: swaks").contains("hello from swaks");
        assertThat(smtp.delivered("example.test", "bob")).hasSize(1);
    }

    @Test
    void swaksWithStartTlsAndAuthPlain() throws Exception {
        TestServer.selfSigned(dir);
        TestSmtp smtp = TestSmtp.maildir(dir, "tls: {cert: cert.pem, key: key.pem}\nrelay-networks: []\n");
        try (TestServer server = new TestServer(smtp.handler)) {
            Commands.Result r = Commands.run(dir, "", TIMEOUT, List.of("swaks", "--server", "127.0.0.1:" + server.port(),
                    "--to", "bob@example.test", "--from", "alice@example.test", "--tls", "--auth", "PLAIN",
                    "--auth-user", "alice@example.test", "--auth-password", "secret", "--body", "over tls"));
            assertThat(r.exit()).as(r.output()).isZero();
            assertThat(r.output()).contains("<~  235 2.7.0 Authentication successful").contains("<~  250 2.0.0 Ok: queued as");
            Commands.Result bad = Commands.run(dir, "", TIMEOUT, List.of("swaks", "--server", "127.0.0.1:" + server.port(),
                    "--to", "bob@example.test", "--from", "alice@example.test", "--tls", "--auth", "LOGIN",
                    "--auth-user", "alice@example.test", "--auth-password", "wrong"));
            assertThat(bad.output()).contains("535 5.7.8");
        }
        assertThat(Files.readString(smtp.delivered("example.test", "bob").getFirst())).contains("with ESMTPSA id");
    }

    @Test
    void pythonSmtplibSendsWithStartTlsLoginAndStrangerRelayIsRefused() throws Exception {
        TestServer.selfSigned(dir);
        TestSmtp smtp = TestSmtp.maildir(dir, "tls: {cert: cert.pem, key: key.pem}\n");
        String script = """
                import smtplib, ssl, sys
                from email.message import EmailMessage
                port = int(sys.argv[1])
                m = EmailMessage()
                m["From"] = "alice@example.test"; m["To"] = "bob@example.test"; m["Subject"] = "py"
                m.set_content("from python\\n.leading dot line\\n")
                with smtplib.SMTP("127.0.0.1", port, timeout=10) as s:
                    try:
                        s.sendmail("x@other.test", ["victim@elsewhere.test"], "Subject: relay\\r\\n\\r\\nx\\r\\n")
                    except smtplib.SMTPRecipientsRefused as e:
                        print("refused", e.recipients["victim@elsewhere.test"][0])
                    ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
                    s.starttls(context=ctx)
                    s.login("alice@example.test", "secret")
                    s.send_message(m)
                    print("sent")
                """;
        try (TestServer server = new TestServer(smtp.handler)) {
            Commands.Result r = Commands.run(dir, script, TIMEOUT, List.of("python3", "-", String.valueOf(server.port())));
            assertThat(r.exit()).as(r.output()).isZero();
            assertThat(r.output()).contains("refused 554").contains("sent");
        }
        String stored = Files.readString(smtp.delivered("example.test", "bob").getFirst());
        assertThat(stored).contains("Subject: py").contains("\r\n.leading dot line\r\n");
    }

    @Test
    void curlUploadIsStoredByteExact() throws Exception {
        TestSmtp smtp = TestSmtp.maildir(dir, "");
        byte[] message = "From: a@b.test\r\nSubject: curl\r\n\r\nline one\r\n.dot line\r\n\r\nlast\r\n".getBytes(StandardCharsets.US_ASCII);
        Files.write(dir.resolve("msg.eml"), message);
        try (TestServer server = new TestServer(smtp.handler)) {
            Commands.Result r = Commands.run(dir, "", TIMEOUT, List.of("curl", "-sS", "--max-time", "20", "smtp://127.0.0.1:" + server.port() + "/client.test",
                    "--mail-from", "a@b.test", "--mail-rcpt", "alice@example.test", "-T", "msg.eml"));
            assertThat(r.exit()).as(r.output()).isZero();
        }
        assertStoredExactly(smtp.delivered("example.test", "alice").getFirst(), message);
    }

    @Test
    void pythonRawBdatIsStoredByteExact() throws Exception {
        TestSmtp smtp = TestSmtp.maildir(dir, "");
        String script = """
                import socket, sys
                s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
                f = s.makefile("rb")
                def reply():
                    lines = []
                    while True:
                        l = f.readline().decode()
                        lines.append(l.strip())
                        if l[3:4] != "-": return lines
                reply()
                part1 = b"Subject: bdat\\r\\n\\r\\nbare\\nlf and binary \\x00\\xff ok\\r\\n"
                part2 = b".not stuffed\\r\\n"
                s.sendall(b"EHLO py.test\\r\\nMAIL FROM:<a@b.test> BODY=8BITMIME\\r\\nRCPT TO:<alice@example.test>\\r\\n"
                          + b"BDAT %d\\r\\n" % len(part1) + part1 + b"BDAT %d LAST\\r\\n" % len(part2) + part2 + b"QUIT\\r\\n")
                for _ in range(6): print(reply()[-1])
                """;
        try (TestServer server = new TestServer(smtp.handler)) {
            Commands.Result r = Commands.run(dir, script, TIMEOUT, List.of("python3", "-", String.valueOf(server.port())));
            assertThat(r.exit()).as(r.output()).isZero();
            assertThat(r.output().lines().toList()).containsExactly("250 ENHANCEDSTATUSCODES", "250 2.1.0 Ok", "250 2.1.5 Ok",
                    "250 2.0.0 43 octets received", r.output().lines().toList().get(4), "221 2.0.0 mx.example.test Bye");
            assertThat(r.output().lines().toList().get(4)).startsWith("250 2.0.0 Ok: queued as");
        }
        byte[] expected = "Subject: bdat\r\n\r\nbare\nlf and binary \u0000\u00ff ok\r\n.not stuffed\r\n".getBytes(StandardCharsets.ISO_8859_1);
        assertStoredExactly(smtp.delivered("example.test", "alice").getFirst(), expected);
    }
}
