package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testpeers.Await;
import dev.berth.testpeers.Clamd;
import dev.berth.testpeers.SmtpSink;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4 with real clients and peers against a real master and worker JVMs: smtp-source, swaks,
 * Python smtplib and poplib, curl; a real clamd with the custom EICAR signatures; Postfix's
 * smtp-sink as the next hop; a worker SIGKILLed in the middle of DATA.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SmtpProcessTest {

    private Path dir;

    private Clamd clamd;
    private SmtpSink sink;
    private Berth berth;

    @BeforeAll
    void start(@TempDir Path dir) throws IOException {
        this.dir = dir;
        clamd = Clamd.start(dir.resolve("clamd"));
        int clamdPort = clamd.port();
        sink = SmtpSink.start(dir.resolve("sink"));
        int sinkPort = sink.port();
        Path home = dir.resolve("berth");
        Files.createDirectories(home);
        Command.selfSignedCertificate(home);
        Files.writeString(home.resolve("users.txt"), """
                alice@example.test:{PLAIN}secret
                bob@example.test:{PLAIN}hunter2
                carol@example.test:{PLAIN}secret
                """);
        berth = Berth.start(home, config(clamdPort, sinkPort));
    }

    static String config(int clamdPort, int sinkPort) {
        return """
                master: {run-dir: run, log-dir: log}
                scanners:
                  sig: {kind: signatures}
                  clamav: {kind: clamd, address: "127.0.0.1:%d"}
                pools:
                  mail:
                    workers: 2
                    threads: 2
                    jvm-options: %s
                services:
                  - name: mx
                    kind: smtp
                    pool: mail
                    listen: ["127.0.0.1:0"]
                    smtp:
                      hostname: mx.example.test
                      deliver: maildir
                      maildir: mail
                      users: users.txt
                      domains: [example.test]
                      relay-to: "127.0.0.1:%d"
                      tls: {cert: cert.pem, key: key.pem}
                      scan: [clamav]
                      on-virus: reject
                  - name: relay
                    kind: smtp
                    pool: mail
                    listen: ["127.0.0.1:0"]
                    smtp:
                      hostname: relay.example.test
                      deliver: relay
                      relay-to: "127.0.0.1:%d"
                      relay-networks: [127.0.0.0/8]
                      scan: [sig]
                  - name: pop3
                    kind: pop3
                    pool: mail
                    listen: ["127.0.0.1:0"]
                    pop3: {maildir: mail, users: users.txt, allow-plaintext-auth: true}
                """.formatted(clamdPort, Configs.TEST_JVM, sinkPort, sinkPort);
    }

    @AfterAll
    void stop() {
        Berth.closeAll(berth, sink, clamd);
    }

    private Path inbox(String user) {
        return dir.resolve("berth/mail/example.test").resolve(user);
    }

    /** The user's messages, in new/ or (once a POP3 session has seen them) cur/, oldest first. */
    private List<Path> delivered(String user) throws IOException {
        List<Path> all = new java.util.ArrayList<>();
        for (String sub : List.of("new", "cur")) {
            Path folder = inbox(user).resolve(sub);
            if (Files.isDirectory(folder)) {
                try (Stream<Path> files = Files.list(folder)) {
                    files.forEach(all::add);
                }
            }
        }
        all.sort(java.util.Comparator.comparing(p -> p.getFileName().toString()));
        return all;
    }

    @Test
    void smtpSourceMessagesAllLandInTheMaildirByteExact() throws Exception {
        Path message = dir.resolve("source.eml");
        String body = "Subject: load\n\nline one\n.a line that starts with a dot\nend\n";
        Files.writeString(message, body); // smtp-source sends each line with CRLF
        List<Path> before = delivered("bob");
        Command sent = Command.run(dir, "smtp-source", "-s", "4", "-m", "200", "-F", message.toString(),
                "-f", "sender@example.com", "-t", "bob@example.test", "127.0.0.1:" + berth.port("mx"));
        assertThat(sent.status()).as(sent.output()).isZero();
        List<Path> files = new java.util.ArrayList<>(delivered("bob"));
        files.removeAll(before);
        assertThat(files).hasSize(200);
        for (Path file : files) {
            String stored = Files.readString(file, StandardCharsets.ISO_8859_1);
            assertThat(stored).startsWith("Return-Path: <sender@example.com>\r\n")
                    .contains("\r\nDelivered-To: bob@example.test\r\n")
                    .endsWith(body.replace("\n", "\r\n") + "\r\n"); // smtp-source ends -F with an empty line
        }
        try (Stream<Path> tmp = Files.list(inbox("bob").resolve("tmp"))) {
            assertThat(tmp).as("nothing left half-written").isEmpty();
        }
    }

    @Test
    void smtplibToMaildirToBerthPop3IsByteExact() throws Exception {
        Command round = Command.python(dir, """
                import smtplib, poplib, sys
                msg = (b'From: carol@example.com\\r\\nTo: alice@example.test\\r\\nSubject: round trip\\r\\n\\r\\n'
                       b'first\\r\\n.starts with a dot\\r\\n..two dots\\r\\n\\xc3\\xa9t\\xc3\\xa9 8bit\\r\\nlast\\r\\n')
                s = smtplib.SMTP('127.0.0.1', int(sys.argv[1]))
                s.sendmail('carol@example.com', ['alice@example.test'], msg)
                s.quit()
                p = poplib.POP3('127.0.0.1', int(sys.argv[2]), timeout=10)
                p.user('alice@example.test'); p.pass_('secret')
                count, _ = p.stat()
                resp, lines, octets = p.retr(count)
                got = b'\\r\\n'.join(lines) + b'\\r\\n'
                assert got.endswith(msg), got
                assert octets == len(got), (octets, len(got))
                sys.stdout.buffer.write(got)
                p.quit()
                """, String.valueOf(berth.port("mx")), String.valueOf(berth.port("pop3")));
        assertThat(round.status()).as(round.output()).isZero();
        List<Path> files = delivered("alice");
        assertThat(files).isNotEmpty();
        byte[] onDisk = Files.readAllBytes(files.stream().filter(f -> read(f).contains("Subject: round trip"))
                .findFirst().orElseThrow());
        assertThat(round.output().getBytes(StandardCharsets.UTF_8)).isEqualTo(onDisk);
    }

    @Test
    void fetchmailAndCurlReadWhatSwaksDeliveredThroughBerthPop3() throws Exception {
        Command swaks = Command.run(dir, "swaks", "--server", "127.0.0.1:" + berth.port("mx"),
                "--from", "carol@example.com", "--to", "carol@example.test", "--header", "Subject: for carol",
                "--body", "marker-5512\n.dot line\n");
        assertThat(swaks.status()).as(swaks.output()).isZero();
        List<String> fetched = Fetchmail.fetch("POP3", berth.port("pop3"), "carol@example.test", "secret",
                dir.resolve("fetchmail-carol"));
        assertThat(fetched).hasSize(1);
        String stored = read(delivered("carol").getFirst());
        String withoutFetchmailsTrace = fetched.getFirst()
                .replaceFirst("Received: from 127\\.0\\.0\\.1 [^\n]*\n\tby [^\n]* with POP3 \\(fetchmail[^\n]*\n\t[^\n]*\n", "");
        assertThat(withoutFetchmailsTrace).isEqualTo(stored.replace("\r\n", "\n"));
        Command curl = Command.run(dir, "curl", "-sS", "pop3://127.0.0.1:" + berth.port("pop3") + "/1",
                "-u", "carol@example.test:secret");
        assertThat(curl.status()).as(curl.output()).isZero();
        assertThat(curl.output()).isEqualTo(stored);
    }

    @Test
    void swaksPipelinesOverStartTlsWithAuthAndCurlDelivers() throws Exception {
        Command swaks = Command.run(dir, "swaks", "--server", "127.0.0.1:" + berth.port("mx"), "--tls",
                "--auth", "PLAIN", "--auth-user", "alice@example.test", "--auth-password", "secret",
                "--pipeline", "--from", "alice@example.test", "--to", "bob@example.test",
                "--header", "Subject: swaks", "--body", "via swaks\n.dot\n");
        assertThat(swaks.status()).as(swaks.output()).isZero();
        assertThat(swaks.output()).contains("<~  250").contains("PIPELINING");
        Path upload = dir.resolve("curl.eml");
        Files.writeString(upload, "Subject: curl\r\n\r\nvia curl\r\n");
        Command curl = Command.run(dir, "curl", "-sS", "smtp://127.0.0.1:" + berth.port("mx") + "/client.example",
                "--mail-from", "carol@example.com", "--mail-rcpt", "bob@example.test", "-T", upload.toString());
        assertThat(curl.status()).as(curl.output()).isZero();
        assertThat(delivered("bob").stream().map(this::read)).anyMatch(m -> m.endsWith("via curl\r\n"))
                .anyMatch(m -> m.contains("via swaks"));
    }

    @Test
    void clamdFindsEicarInABase64AttachmentAndTheMessageIsRefused() throws Exception {
        Path attachment = dir.resolve("eicar.com");
        Files.writeString(attachment, Clamd.EICAR);
        int before = delivered("alice").size();
        Command swaks = Command.run(dir, "swaks", "--server", "127.0.0.1:" + berth.port("mx"),
                "--from", "carol@example.com", "--to", "alice@example.test", "--attach", "@" + attachment);
        assertThat(swaks.output()).containsPattern("<\\*\\* +554 5\\.7\\.1 .*(Eicar|EICAR)");
        assertThat(delivered("alice")).hasSize(before);
    }

    @Test
    void anUnauthenticatedStrangerCannotRelay() throws Exception {
        Command swaks = Command.run(dir, "swaks", "--server", "127.0.0.1:" + berth.port("mx"),
                "--from", "spammer@example.com", "--to", "victim@example.org", "--body", "buy now");
        assertThat(swaks.output()).containsPattern("<\\*\\* +554 5\\.7\\.1");
        assertThat(sink.messages()).noneMatch(f -> read(f).contains("buy now"));
    }

    @Test
    void relayAnswersWithTheNextHopsReplyAndTheBytesArrive() throws Exception {
        Command sent = Command.python(dir, """
                import smtplib, sys
                s = smtplib.SMTP('127.0.0.1', int(sys.argv[1]))
                code, text = s.ehlo()
                s.mail('carol@example.com'); s.rcpt('dave@example.org')
                code, text = s.data(b'Subject: relayed\\r\\n\\r\\nthrough the relay marker-7431\\r\\n')
                print(code, text.decode())
                s.quit()
                """, String.valueOf(berth.port("relay")));
        assertThat(sent.status()).as(sent.output()).isZero();
        assertThat(sent.output()).startsWith("250");
        assertThat(sink.messages()).anyMatch(f -> read(f).contains("through the relay marker-7431"));
    }

    @Test
    void aWorkerKilledInTheMiddleOfDataLeavesNoMessageNo250AndNoSpoolFile() throws Exception {
        int before = delivered("alice").size();
        List<Long> pids = berth.readyPids("mail");
        try (Socket client = new Socket("127.0.0.1", berth.port("mx"))) {
            client.setSoTimeout(10_000);
            InputStream in = client.getInputStream();
            OutputStream out = client.getOutputStream();
            expect(in, "220");
            for (String command : List.of("EHLO client.example", "MAIL FROM:<carol@example.com>",
                    "RCPT TO:<alice@example.test>", "DATA")) {
                out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                expect(in, command.equals("DATA") ? "354" : "250");
            }
            out.write("Subject: half\r\n\r\nthe first half of a message\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] line = ("x".repeat(78) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 30_000; i++) { // 2.4 MB: past what a worker holds in memory, so it spools
                out.write(line);
            }
            out.flush();
            Await.require("a spool file", java.time.Duration.ofSeconds(20), () -> !spoolFiles().isEmpty());
            pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
            String rest = LineClient.untilClosed(in);
            assertThat(rest).doesNotContain("250");
        }
        assertThat(delivered("alice")).hasSize(before);
        berth.awaitStatus(s -> Berth.workers(s, "mail").stream()
                .filter(w -> w.path("state").asText().equals("ready")).count() == 2,
                java.time.Duration.ofSeconds(30), "two replacement workers");
        Command after = Command.run(dir, "swaks", "--server", "127.0.0.1:" + berth.port("mx"),
                "--from", "carol@example.com", "--to", "alice@example.test", "--body", "after the kill");
        assertThat(after.status()).as(after.output()).isZero();
        assertThat(delivered("alice")).hasSize(before + 1);
        assertThat(spoolFiles()).as("spool files after the replacements started").isEmpty();
    }

    /** The message files under the mx service's spool (mail/.spool), at any depth. */
    private List<Path> spoolFiles() {
        Path spool = dir.resolve("berth/mail/.spool");
        if (!Files.isDirectory(spool)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(spool)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".tmp")).toList();
        } catch (IOException | java.io.UncheckedIOException e) {
            return List.of(spool); // a file vanished while walking: count it as there, look again
        }
    }

    private String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static void expect(InputStream in, String code) throws IOException {
        String reply = readReply(in);
        assertThat(reply).startsWith(code);
    }

    /** One SMTP reply, all of its lines. */
    private static String readReply(InputStream in) throws IOException {
        StringBuilder reply = new StringBuilder();
        while (true) {
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = in.read()) != -1 && c != '\n') {
                line.append((char) c);
            }
            reply.append(line).append('\n');
            if (c == -1 || line.length() < 4 || line.charAt(3) != '-') {
                return reply.toString();
            }
        }
    }

}
