package dev.berth.pop3;

import static dev.berth.pop3.TestMail.ALICE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.maildir.MaildirMessage;
import dev.berth.testpeers.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Conversations with the service handler behind a loopback server on port 0. */
class Pop3LoopbackTest {

    @TempDir
    Path dir;

    private TestMail mail;
    private TestServer server;

    @BeforeEach
    void mail() {
        mail = new TestMail(dir);
        mail.deliver(ALICE, TestMail.FIRST);
        mail.deliver(ALICE, TestMail.DOTS);
        mail.deliver(ALICE, TestMail.LONG);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private int start(Pop3Settings settings) {
        server = new TestServer(settings);
        return server.port();
    }

    private Pop3Settings plaintext() {
        return mail.settings(true);
    }

    @Test
    void aWholeSessionWithPipelinedCommands() throws Exception {
        try (LineClient client = new LineClient(start(plaintext()))) {
            client.check("""
                    S: +OK berth POP3 ready.
                    C: USER alice@example.test
                    C: PASS secret
                    C: STAT
                    C: LIST
                    S: +OK
                    S: +OK Logged in.
                    S: +OK 3 151
                    S: +OK 3 messages (151 octets)
                    S: 1 46
                    S: 2 51
                    S: 3 54
                    S: .
                    C: RETR 2
                    C: TOP 3 1
                    S: +OK 51 octets
                    S: Subject: dots
                    S:
                    S: ..leading dot
                    S: ...two dots
                    S: ..
                    S: end
                    S: .
                    S: +OK
                    S: Subject: long
                    S: X-Header: x
                    S:
                    S: line 1
                    S: .
                    C: DELE 1
                    C: QUIT
                    S: +OK Message 1 deleted.
                    S: +OK Logging out.
                    """);
            assertThat(client.closedByServer()).isTrue();
        }
        assertThat(mail.files(ALICE)).isEqualTo(2);
        assertThat(server.served.get()).isEqualTo(8);
    }

    @Test
    void stlsDropsPlaintextSentBehindItThenAllowsLogin() throws Exception {
        Pop3Settings settings = new Pop3Settings(mail.root, mail.usersFile, Optional.of(TestServer.selfSigned(dir)),
                false, Duration.ofMillis(10), Duration.ofMinutes(10));
        try (LineClient client = new LineClient(start(settings))) {
            client.check("""
                    S: +OK berth POP3 ready.
                    C: USER alice@example.test
                    S: -ERR [AUTH] Plaintext authentication disallowed on non-secure (SSL/TLS) connections.
                    """);
            client.sendRaw("STLS\r\nUSER alice@example.test\r\n");
            assertThat(client.readLine()).isEqualTo("+OK Begin TLS negotiation now.");
            client.startTls();
            client.check("""
                    C: PASS secret
                    S: -ERR No username given.
                    C: USER alice@example.test
                    S: +OK
                    C: PASS secret
                    S: +OK Logged in.
                    C: STAT
                    S: +OK 3 151
                    C: QUIT
                    S: +OK Logging out.
                    """);
        }
    }

    @Test
    void aClientThatDropsWithoutQuitDeletesNothing() throws Exception {
        int port = start(plaintext());
        try (LineClient client = new LineClient(port)) {
            client.check("""
                    S: +OK berth POP3 ready.
                    C: USER alice@example.test
                    C: PASS secret
                    C: DELE 1
                    C: DELE 2
                    S: +OK
                    S: +OK Logged in.
                    S: +OK Message 1 deleted.
                    S: +OK Message 2 deleted.
                    """);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        String answer;
        do {
            try (LineClient again = new LineClient(port)) {
                again.readLine();
                again.send("USER alice@example.test");
                again.readLine();
                again.send("PASS secret");
                answer = again.readLine();
                if (answer.startsWith("+OK")) {
                    again.check("""
                            C: STAT
                            S: +OK 3 151
                            C: QUIT
                            S: +OK Logging out.
                            """);
                }
            }
        } while (answer.startsWith("-ERR [IN-USE]") && System.nanoTime() < deadline);
        assertThat(answer).isEqualTo("+OK Logged in.");
        assertThat(mail.files(ALICE)).isEqualTo(3);
    }

    @Test
    void aClientThatPipelinesQuitAndClosesAtOnceStillCommits() throws Exception {
        try (LineClient client = new LineClient(start(plaintext()))) {
            client.check("""
                    S: +OK berth POP3 ready.
                    C: USER alice@example.test
                    C: PASS secret
                    S: +OK
                    S: +OK Logged in.
                    """);
            client.sendRaw("DELE 1\r\nDELE 3\r\nQUIT\r\n");
        }
        Await.until(Duration.ofSeconds(10), Await.INTERVAL, () -> mail.files(ALICE) == 1);
        assertThat(mail.messages(ALICE)).extracting(MaildirMessage::size).containsExactly(51L);
    }

    @Test
    void aSecondSessionGetsInUseWhileTheFirstIsOpen() throws Exception {
        int port = start(plaintext());
        try (LineClient first = new LineClient(port); LineClient second = new LineClient(port)) {
            first.check("""
                    S: +OK berth POP3 ready.
                    C: USER alice@example.test
                    C: PASS secret
                    S: +OK
                    S: +OK Logged in.
                    """);
            second.check("""
                    S: +OK berth POP3 ready.
                    C: USER alice@example.test
                    C: PASS secret
                    S: +OK
                    S: -ERR [IN-USE] Mailbox is locked by another POP3 session.
                    """);
            first.check("""
                    C: QUIT
                    S: +OK Logging out.
                    """);
            second.check("""
                    C: USER alice@example.test
                    C: PASS secret
                    S: +OK
                    S: +OK Logged in.
                    """);
        }
    }

    @Test
    void failedLoginsAreDelayedAndTheThirdCloses() throws Exception {
        Pop3Settings settings = new Pop3Settings(mail.root, mail.usersFile, Optional.empty(), true,
                Duration.ofMillis(300), Duration.ofMinutes(10));
        try (LineClient client = new LineClient(start(settings))) {
            client.readLine();
            long started = System.nanoTime();
            client.check("""
                    C: USER alice@example.test
                    C: PASS wrong
                    S: +OK
                    S: -ERR [AUTH] Authentication failed.
                    """);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
            client.check("""
                    C: USER alice@example.test
                    C: PASS wrong
                    C: USER alice@example.test
                    C: PASS wrong
                    S: +OK
                    S: -ERR [AUTH] Authentication failed.
                    S: +OK
                    S: -ERR [AUTH] Authentication failed.
                    """);
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void anIdleConnectionIsClosedWithoutTheUpdateState() throws Exception {
        Pop3Settings settings = new Pop3Settings(mail.root, mail.usersFile, Optional.empty(), true,
                Duration.ZERO, Duration.ofMillis(500));
        try (LineClient client = new LineClient(start(settings))) {
            client.check("""
                    S: +OK berth POP3 ready.
                    C: USER alice@example.test
                    C: PASS secret
                    C: DELE 1
                    S: +OK
                    S: +OK Logged in.
                    S: +OK Message 1 deleted.
                    S: -ERR Disconnected for inactivity.
                    """);
            assertThat(client.closedByServer()).isTrue();
        }
        assertThat(mail.files(ALICE)).isEqualTo(3);
    }

    @Test
    void aMessageGoneOrUnreadableIsAnErrorNotAHalfReply() throws Exception {
        List<MaildirMessage> messages = mail.messages(ALICE);
        try (LineClient client = new LineClient(start(plaintext()))) {
            client.check("""
                    S: +OK berth POP3 ready.
                    C: USER alice@example.test
                    C: PASS secret
                    S: +OK
                    S: +OK Logged in.
                    """);
            Files.delete(messages.get(0).file());
            Files.delete(messages.get(1).file());
            Files.createDirectory(messages.get(1).file());
            client.check("""
                    C: RETR 1
                    S: -ERR The message was removed by another session.
                    C: TOP 2 0
                    S: -ERR [SYS/TEMP] Cannot read the message.
                    C: RETR 3
                    S: +OK 54 octets
                    S: Subject: long
                    S: X-Header: x
                    S:
                    S: line 1
                    S: line 2
                    S: line 3
                    S: .
                    C: QUIT
                    S: +OK Logging out.
                    """);
        }
    }

    @Test
    void drainingEndsConnectionsNotLoggedInAndLetsSessionsFinish() throws Exception {
        int port = start(plaintext());
        try (LineClient waiting = new LineClient(port); LineClient reading = new LineClient(port)) {
            waiting.check("""
                    S: +OK berth POP3 ready.
                    C: USER bob@example.test
                    S: +OK
                    """);
            reading.check("""
                    S: +OK berth POP3 ready.
                    C: USER alice@example.test
                    C: PASS secret
                    S: +OK
                    S: +OK Logged in.
                    """);

            server.handler().onDrain();

            waiting.check("""
                    S: -ERR [SYS/TEMP] Server shutting down, try again later.
                    """);
            assertThat(waiting.closedByServer()).isTrue();
            reading.check("""
                    C: DELE 1
                    C: QUIT
                    S: +OK Message 1 deleted.
                    S: +OK Logging out.
                    """);
        }
        assertThat(mail.files(ALICE)).isEqualTo(2);
    }

    @Test
    void aLargeMessageIsRetrievedByteExactly() throws Exception {
        StringBuilder text = new StringBuilder("Subject: big\r\n\r\n");
        Random random = new Random(7);
        while (text.length() < 2 * 1024 * 1024) {
            text.append(random.nextInt(5) == 0 ? "." : "").append("line ").append(random.nextLong()).append("\r\n");
        }
        Path file = mail.deliver(TestMail.BOB, text.toString());
        byte[] stored = Files.readAllBytes(file);
        try (LineClient client = new LineClient(start(plaintext()))) {
            client.check("""
                    S: +OK berth POP3 ready.
                    C: USER bob@example.test
                    C: PASS secret
                    C: LIST 1
                    C: RETR 1
                    S: +OK
                    S: +OK Logged in.
                    S: +OK 1 %d
                    S: +OK %d octets
                    """.formatted(stored.length, stored.length));
            assertThat(client.readBody()).isEqualTo(stored);
            client.check("""
                    C: QUIT
                    S: +OK Logging out.
                    """);
        }
    }

    @Test
    void retrStopsReadingTheFileWhileTheClientDoesNotRead() throws Exception {
        byte[] line = "0123456789012345678901234567890123456789012345678901234567890123456789012345678\r\n"
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        java.io.ByteArrayOutputStream big = new java.io.ByteArrayOutputStream();
        big.writeBytes("Subject: big\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        while (big.size() < 8 * 1024 * 1024) {
            big.writeBytes(line);
        }
        byte[] stored = Files.readAllBytes(mail.deliver(TestMail.BOB, big.toByteArray()));
        AtomicLong read = new AtomicLong();
        server = new TestServer(plaintext(), new CountingMaildrops(mail.maildrops(), read), 128 * 1024);

        try (LineClient client = new LineClient(server.port(), 64 * 1024)) {
            client.check("""
                    S: +OK berth POP3 ready.
                    C: USER bob@example.test
                    C: PASS secret
                    C: RETR 1
                    S: +OK
                    S: +OK Logged in.
                    S: +OK %d octets
                    """.formatted(stored.length));
            long settled = awaitSettled(read);

            assertThat(settled).as("bytes read from the file while the client reads nothing")
                    .isLessThan(stored.length / 2);
            assertThat(client.readBody()).isEqualTo(stored);
            assertThat(read.get()).isEqualTo(stored.length);
        }
    }

    /** The counter's value once it has not moved for 300 ms (at most 10 s). */
    private static long awaitSettled(AtomicLong counter) {
        long[] last = {-1};
        long[] stableSince = {System.nanoTime()};
        Await.require("reading settled (read " + counter.get() + ")", Duration.ofSeconds(10), () -> {
            long now = counter.get();
            if (now != last[0]) {
                last[0] = now;
                stableSince[0] = System.nanoTime();
                return false;
            }
            return now > 0 && System.nanoTime() - stableSince[0] > Duration.ofMillis(300).toNanos();
        });
        return last[0];
    }

    /** Real maildrops whose message streams count the bytes read. */
    private record CountingMaildrops(Maildrops real, AtomicLong read) implements Maildrops {
        @Override
        public dev.berth.maildir.Authentication authenticate(String login, String password) {
            return real.authenticate(login, password);
        }

        @Override
        public Maildrop open(dev.berth.maildir.MailUser user) throws java.io.IOException {
            Maildrop maildrop = real.open(user);
            return new Maildrop() {
                @Override
                public List<MaildirMessage> messages() {
                    return maildrop.messages();
                }

                @Override
                public java.io.InputStream read(MaildirMessage message) throws java.io.IOException {
                    return new java.io.FilterInputStream(maildrop.read(message)) {
                        @Override
                        public int read(byte[] b, int off, int len) throws java.io.IOException {
                            int n = super.read(b, off, len);
                            read.addAndGet(Math.max(n, 0));
                            return n;
                        }
                    };
                }

                @Override
                public void delete(java.util.Collection<MaildirMessage> messages) throws java.io.IOException {
                    maildrop.delete(messages);
                }

                @Override
                public void close() {
                    maildrop.close();
                }
            };
        }
    }
}
