package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testpeers.Dovecot;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, item 3, against a real master and one worker JVM with a 48 MiB heap that every
 * service shares: each attack comes from one client while a bystander has a session open on the
 * same worker; the attack is answered in the protocol's terms, the bystander's session goes on,
 * and the worker is the same process afterwards. Dovecot is the pop3-proxy's and imap-proxy's
 * upstream.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MailUnderFireTest {

    /** A message of about 20 MB of 8-bit text in lines of 998 octets, as an SMTP client sends it. */
    static final int BIG_LINES = 20_000;
    static final String BIG_LINE = ("Grüße aus Köln, ça va? " + "x".repeat(1000)).substring(0, 990) + "\r\n";
    /** ARGON2I, m=32768 (32 MiB per check), password "secret". */
    static final String ARGON2 = "{ARGON2I}$argon2i$v=19$m=32768,t=4,p=1$20d8VNbpHqeYXTIiLeDM9A$GWrCFz+6xgtRz/bojTnYXM/qMDInVOfZrKq5HNYHhSE";

    private Path dir;
    private Dovecot dovecot;
    private Berth berth;

    @BeforeAll
    void start(@TempDir Path dir) throws IOException {
        this.dir = dir;
        StringBuilder big = new StringBuilder("From: a@example.com\r\nTo: big\r\nSubject: big\r\n\r\n");
        for (int i = 0; i < BIG_LINES; i++) {
            big.append(BIG_LINE);
        }
        Path upstreamUsers = Files.writeString(dir.resolve("dovecot-users"), "alice:{PLAIN}secret\nbig:{PLAIN}secret\n");
        dovecot = Dovecot.in(dir.resolve("dovecot")).users(upstreamUsers)
                .message("alice", "From: a@example.com\r\nSubject: small\r\n\r\nhello\r\n")
                .message("big", big.toString())
                .config("auth_failure_delay = 0")
                .start();
        Path home = Files.createDirectories(dir.resolve("berth"));
        Files.writeString(home.resolve("users.txt"), "alice@example.test:{PLAIN}secret\nargon@example.test:" + ARGON2 + "\n");
        Files.writeString(home.resolve("users.map"), "alice 127.0.0.1:" + dovecot.imapPort() + "\n");
        berth = Berth.start(home, """
                master: {run-dir: run, log-dir: log}
                scanners:
                  sig: {kind: signatures, patterns: ["(?i)wire the money to"]}
                pools:
                  mail:
                    workers: 1
                    threads: 2
                    jvm-options: %s
                services:
                  - name: mx
                    kind: smtp
                    pool: mail
                    listen: ["127.0.0.1:0"]
                    smtp: {hostname: mx.example.test, maildir: mail, users: users.txt, domains: [example.test],
                           postmaster: alice@example.test, scan: [sig]}
                  - name: pop3
                    kind: pop3
                    pool: mail
                    listen: ["127.0.0.1:0"]
                    pop3: {maildir: mail, users: users.txt, allow-plaintext-auth: true, auth-failure-delay: 0s}
                  - name: proxy
                    kind: pop3-proxy
                    pool: mail
                    listen: ["127.0.0.1:0"]
                    pop3-proxy: {upstream: "127.0.0.1:%d", scan: [sig]}
                  - name: imap
                    kind: imap-proxy
                    pool: mail
                    listen: ["127.0.0.1:0"]
                    imap-proxy: {route: user-map, user-map: users.map, allow: ["127.0.0.1:%d"]}
                """.formatted(Configs.TEST_JVM, dovecot.pop3Port(), dovecot.imapPort()));
    }

    @AfterAll
    void stop() {
        Berth.closeAll(berth, dovecot);
    }

    private long worker() {
        List<Long> pids = berth.readyPids("mail");
        assertThat(pids).hasSize(1);
        return pids.getFirst();
    }

    @Test
    void aTwentyMegabyteEightBitMessageIsScannedAndDeliveredWhileABystandersTransactionGoesOn() throws Exception {
        long pid = worker();
        try (Line bystander = Line.open(berth.port("mx")); Line attacker = Line.open(berth.port("mx"))) {
            bystander.expect("220");
            bystander.send("EHLO bystander.example").expect("250");
            bystander.send("MAIL FROM:<b@example.com>").expect("250");
            bystander.send("RCPT TO:<alice@example.test>").expect("250");
            attacker.expect("220");
            attacker.send("EHLO attacker.example").expect("250");
            attacker.send("MAIL FROM:<x@example.com>").expect("250");
            attacker.send("RCPT TO:<alice@example.test>").expect("250");
            attacker.send("DATA").expect("354");
            attacker.write("Subject: big\r\n\r\n".getBytes(StandardCharsets.UTF_8));
            byte[] line = BIG_LINE.getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < BIG_LINES; i++) {
                attacker.write(line);
            }
            attacker.send(".").expect("250 2.0.0");
            bystander.send("DATA").expect("354");
            bystander.write("Subject: still here\r\n\r\nhello\r\n".getBytes(StandardCharsets.UTF_8));
            bystander.send(".").expect("250 2.0.0");
        }
        assertThat(worker()).as("the same worker").isEqualTo(pid);
        try (Stream<Path> spool = Files.walk(dir.resolve("berth/mail/.spool"))) {
            assertThat(spool.filter(f -> f.toString().endsWith(".tmp"))).isEmpty();
        }
    }

    @Test
    void aTwentyMegabyteRetrThroughTheScanningProxyArrivesWhileABystanderReads() throws Exception {
        long pid = worker();
        try (Line bystander = Line.open(berth.port("proxy")); Line attacker = Line.open(berth.port("proxy"))) {
            bystander.expect("+OK");
            bystander.send("USER alice").expect("+OK");
            bystander.send("PASS secret").expect("+OK");
            attacker.expect("+OK");
            attacker.send("USER big").expect("+OK");
            attacker.send("PASS secret").expect("+OK");
            attacker.send("RETR 1").expect("+OK");
            long octets = attacker.multiline();
            assertThat(octets).isGreaterThan((long) BIG_LINES * BIG_LINE.length());
            bystander.send("RETR 1").expect("+OK");
            assertThat(bystander.multiline()).isPositive();
            bystander.send("QUIT").expect("+OK");
        }
        assertThat(worker()).as("the same worker").isEqualTo(pid);
    }

    @Test
    void aChainOfImapLiteralsBeforeLoginIsCutOffAndABystanderLogsIn() throws Exception {
        long pid = worker();
        try (Line bystander = Line.open(berth.port("imap")); Line attacker = Line.open(berth.port("imap"))) {
            bystander.expect("* OK");
            attacker.expect("* OK");
            CompletableFuture<String> said = CompletableFuture.supplyAsync(attacker::rest);
            byte[] literal = (" {8192+}\r\n" + "x".repeat(8192)).getBytes(StandardCharsets.US_ASCII);
            boolean cutOff = false;
            try {
                attacker.write("a LOGIN".getBytes(StandardCharsets.US_ASCII));
                for (int i = 0; i < 5_000; i++) { // 40 MB of one command
                    attacker.write(literal);
                }
            } catch (SocketException e) {
                cutOff = true;
            }
            assertThat(cutOff).as("the proxy stopped reading the command").isTrue();
            assertThat(said.get(60, TimeUnit.SECONDS)).contains("* BYE");
            bystander.send("b LOGIN alice secret").expect("b OK");
            bystander.send("c LOGOUT").expect("* BYE");
        }
        assertThat(worker()).as("the same worker").isEqualTo(pid);
    }

    @Test
    void concurrentWrongArgon2LoginsAreAnsweredAndTheWorkerAndARightLoginLive() throws Exception {
        long pid = worker();
        ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor();
        try (Line bystander = Line.open(berth.port("pop3"))) {
            bystander.expect("+OK");
            bystander.send("USER alice@example.test").expect("+OK");
            bystander.send("PASS secret").expect("+OK");
            List<CompletableFuture<String>> logins = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String password = i == 4 ? "secret" : "guess" + i;
                logins.add(CompletableFuture.supplyAsync(() -> login("argon@example.test", password), clients));
            }
            for (int i = 0; i < logins.size(); i++) {
                String answer = logins.get(i).get(120, TimeUnit.SECONDS);
                assertThat(answer).as("login %d", i).matches(i == 4 ? "\\+OK.*|-ERR \\[SYS/TEMP\\].*" : "-ERR \\[(AUTH|SYS/TEMP)\\].*");
            }
            bystander.send("STAT").expect("+OK");
            assertThat(login("argon@example.test", "secret")).startsWith("+OK");
        } finally {
            clients.shutdownNow();
        }
        assertThat(worker()).as("the same worker").isEqualTo(pid);
    }

    /** One POP3 login on a connection of its own: the answer to PASS, or what ended it. */
    private String login(String user, String password) {
        try (Line client = Line.open(berth.port("pop3"))) {
            client.expect("+OK");
            client.send("USER " + user).expect("+OK");
            return client.send("PASS " + password).line();
        } catch (IOException e) {
            return "connection lost: " + e;
        }
    }

    /** A client connection read line by line, with a bounded wait for each read. */
    private record Line(Socket socket, InputStream in, OutputStream out) implements AutoCloseable {

        static Line open(int port) throws IOException {
            Socket socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(90_000);
            return new Line(socket, new BufferedInputStream(socket.getInputStream()),
                    new BufferedOutputStream(socket.getOutputStream()));
        }

        Line send(String command) throws IOException {
            write((command + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            return this;
        }

        void write(byte[] bytes) throws IOException {
            out.write(bytes);
        }

        /** One line without its line end. */
        String line() throws IOException {
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = in.read()) != '\n') {
                if (c == -1) {
                    throw new IOException("closed after \"" + line + "\"");
                }
                line.append((char) c);
            }
            return line.toString().strip();
        }

        /** Reads an SMTP reply (all its lines) or one line, which must start with {@code prefix}. */
        void expect(String prefix) throws IOException {
            String line = line();
            while (line.length() > 3 && line.charAt(3) == '-') {
                line = line();
            }
            assertThat(line).startsWith(prefix);
        }

        /** Reads a multi-line body to its terminator; returns its octets (line ends included). */
        long multiline() throws IOException {
            long octets = 0;
            for (String line = line(); !line.equals("."); line = line()) {
                octets += line.length() + 2;
            }
            return octets;
        }

        /** Everything until the peer closes (or resets). */
        String rest() {
            return LineClient.untilClosed(in);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
