package dev.berth.pop3;

import static dev.berth.pop3.TestMail.ALICE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.maildir.MaildirMessage;
import dev.berth.mailwire.Pop3Command;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The session without a channel, over a real Maildir, in every state. */
class Pop3SessionTest {

    private static final Duration DELAY = Duration.ofMillis(50);

    @TempDir
    Path dir;

    private TestMail mail;

    @BeforeEach
    void mail() {
        mail = new TestMail(dir);
        mail.deliver(ALICE, TestMail.FIRST);
        mail.deliver(ALICE, TestMail.DOTS);
        mail.deliver(ALICE, TestMail.LONG);
    }

    private Pop3Session session(boolean tls, boolean plaintext) {
        return new Pop3Session(mail.maildrops(), new SessionPolicy(tls, plaintext, DELAY, 3, 10));
    }

    private Pop3Session loggedIn() {
        Pop3Session session = session(false, true);
        Transcript.play(session, "C: USER alice@example.test\nC: PASS secret\n");
        assertThat(session.state()).isEqualTo(Pop3Session.State.TRANSACTION);
        return session;
    }

    @Test
    void aSecondLoginWithinTheLoginDelayIsRefusedWithItsCodeUntilTheDelayHasPassed() {
        java.time.Instant first = java.time.Instant.parse("2026-11-22T05:00:00Z");
        Duration delay = Duration.ofHours(1);
        SessionPolicy policy = new SessionPolicy(false, true, Duration.ZERO, 3, 10, delay);
        for (var step : java.util.List.of(
                java.util.Map.entry(first, "+OK Logged in."),
                java.util.Map.entry(first.plus(Duration.ofMinutes(30)),
                        "-ERR [LOGIN-DELAY] Minimum time between logins is 3600 seconds."),
                java.util.Map.entry(first.plus(Duration.ofMinutes(61)), "+OK Logged in."))) {
            Maildrops maildrops = new MaildirMaildrops(mail.users, mail.store, delay,
                    java.time.Clock.fixed(step.getKey(), java.time.ZoneOffset.UTC));
            Pop3Session session = new Pop3Session(maildrops, policy);
            String played = Transcript.play(session, "C: USER alice@example.test\nC: PASS secret\nC: QUIT\n");
            assertThat(played).as(step.getKey().toString()).contains("S: " + step.getValue() + "\n");
            session.close();
        }
        assertThat(Transcript.play(new Pop3Session(mail.maildrops(), policy), "C: CAPA\n"))
                .contains("S: LOGIN-DELAY 3600\n");
    }

    @Test
    void greetingHasNoApopTimestamp() {
        assertThat(Pop3ReplyEncoder.render(session(false, false).greeting())).isEqualTo("+OK berth POP3 ready.\r\n");
    }

    @Test
    void capaBeforeTlsOffersStlsButNeitherUserNorSasl() {
        Transcript.check(session(true, false), """
                C: CAPA
                S: +OK Capability list follows
                S: TOP
                S: UIDL
                S: RESP-CODES
                S: AUTH-RESP-CODE
                S: PIPELINING
                S: STLS
                S: IMPLEMENTATION berth
                S: .
                """);
    }

    @Test
    void userBeforeTlsIsRefusedWithTheAuthCode() {
        Transcript.check(session(true, false), """
                C: USER alice@example.test
                S: -ERR [AUTH] Plaintext authentication disallowed on non-secure (SSL/TLS) connections.
                C: AUTH PLAIN
                S: -ERR [AUTH] Plaintext authentication disallowed on non-secure (SSL/TLS) connections.
                C: AUTH
                S: +OK
                S: .
                """);
    }

    @Test
    void afterStlsCapaOffersUserAndSaslAndLoginWorks() {
        Pop3Session session = session(true, false);
        Outcome stls = session.handle(new Pop3Command.Stls());
        assertThat(stls.next()).isEqualTo(Outcome.Next.START_TLS);
        assertThat(Pop3ReplyEncoder.render(stls.reply())).isEqualTo("+OK Begin TLS negotiation now.\r\n");
        Transcript.check(session, """
                C: STLS
                S: -ERR TLS is already active.
                C: CAPA
                S: +OK Capability list follows
                S: TOP
                S: UIDL
                S: RESP-CODES
                S: AUTH-RESP-CODE
                S: PIPELINING
                S: USER
                S: SASL PLAIN
                S: IMPLEMENTATION berth
                S: .
                C: USER alice@example.test
                S: +OK
                C: PASS secret
                S: +OK Logged in.
                """);
    }

    @Test
    void stlsWithoutATlsIdentityIsRefused() {
        Transcript.check(session(false, true), """
                C: STLS
                S: -ERR STLS is not available.
                """);
    }

    @Test
    void transactionCommandsServeTheMaildrop() {
        Transcript.check(loggedIn(), """
                C: STAT
                S: +OK 3 151
                C: LIST
                S: +OK 3 messages (151 octets)
                S: 1 46
                S: 2 51
                S: 3 54
                S: .
                C: LIST 2
                S: +OK 2 51
                C: RETR 2
                S: +OK 51 octets
                S: Subject: dots
                S: 
                S: ..leading dot
                S: ...two dots
                S: ..
                S: end
                S: .
                C: NOOP
                S: +OK
                C: LIST 4
                S: -ERR There is no message 4.
                """);
    }

    @Test
    void topSendsTheHeaderAndAsManyBodyLinesAsThereAre() {
        Transcript.check(loggedIn(), """
                C: TOP 3 0
                S: +OK
                S: Subject: long
                S: X-Header: x
                S: 
                S: .
                C: TOP 3 2
                S: +OK
                S: Subject: long
                S: X-Header: x
                S: 
                S: line 1
                S: line 2
                S: .
                C: TOP 3 100
                S: +OK
                S: Subject: long
                S: X-Header: x
                S: 
                S: line 1
                S: line 2
                S: line 3
                S: .
                C: TOP 3
                S: -ERR TOP takes a message number and a number of lines
                """);
    }

    @Test
    void deletedMessagesAreRefusedUntilRset() {
        Transcript.check(loggedIn(), """
                C: DELE 1
                S: +OK Message 1 deleted.
                C: DELE 1
                S: -ERR Message 1 is deleted.
                C: RETR 1
                S: -ERR Message 1 is deleted.
                C: TOP 1 0
                S: -ERR Message 1 is deleted.
                C: LIST 1
                S: -ERR Message 1 is deleted.
                C: UIDL 1
                S: -ERR Message 1 is deleted.
                C: STAT
                S: +OK 2 105
                C: LIST
                S: +OK 2 messages (105 octets)
                S: 2 51
                S: 3 54
                S: .
                C: RSET
                S: +OK Maildrop has 3 messages (151 octets).
                C: STAT
                S: +OK 3 151
                """);
    }

    @Test
    void uidlListsTheMaildirUidsWithAndWithoutArgument() {
        List<MaildirMessage> stored = mail.messages(ALICE);
        Pop3Session session = loggedIn();
        Transcript.check(session, """
                C: DELE 2
                S: +OK Message 2 deleted.
                C: UIDL
                S: +OK
                S: 1 %s
                S: 3 %s
                S: .
                C: UIDL 3
                S: +OK 3 %s
                """.formatted(stored.get(0).uid(), stored.get(2).uid(), stored.get(2).uid()));
    }

    @Test
    void uidsThatRfc1939DoesNotAllowAreReplacedByAStableDigest() throws Exception {
        Path cur = mail.store.mailbox(dev.berth.maildir.MailUser.of(TestMail.BOB)).resolve("cur");
        Files.createDirectories(cur);
        Files.writeString(cur.resolve("x".repeat(80) + ":2,"), "Subject: long name\r\n\r\n");
        Files.writeString(cur.resolve("caf\u00e9:2,S"), "Subject: not ascii\r\n\r\n");
        String[] first = uidlOfBob();
        String[] second = uidlOfBob();

        assertThat(first).isEqualTo(second).hasSize(2).allSatisfy(uid -> assertThat(uid)
                .matches("sha256-[0-9a-f]{48}"));
        assertThat(first[0]).isNotEqualTo(first[1]);
        assertThat(Transaction.uniqueId("1795323078.M238913P23789Q5.host")).isEqualTo("1795323078.M238913P23789Q5.host");
    }

    private String[] uidlOfBob() {
        Pop3Session session = session(false, true);
        String transcript = Transcript.play(session, "C: USER bob@example.test\nC: PASS secret\nC: UIDL\nC: QUIT\n");
        return transcript.lines().filter(l -> l.matches("S: \\d+ .*")).map(l -> l.split(" ")[2]).toArray(String[]::new);
    }

    @Test
    void mailArrivingDuringASessionIsSeenAtTheNextLogin() throws Exception {
        Path newDir = mail.store.mailbox(dev.berth.maildir.MailUser.of(ALICE)).resolve("new");
        Pop3Session session = loggedIn();
        try (var left = Files.list(newDir)) {
            assertThat(left).as("new/ after login").isEmpty();
        }
        mail.deliver(ALICE, TestMail.FIRST);
        Transcript.check(session, """
                C: STAT
                S: +OK 3 151
                C: QUIT
                S: +OK Logging out.
                """);
        Pop3Session again = loggedIn();
        Transcript.check(again, """
                C: STAT
                S: +OK 4 197
                """);
        again.close();
    }

    @Test
    void deleIsCommittedAtQuitOnly() {
        Pop3Session session = loggedIn();
        Transcript.play(session, "C: DELE 1\nC: DELE 3\n");
        assertThat(mail.files(ALICE)).isEqualTo(3);

        Outcome quit = session.handle(new Pop3Command.Quit());

        assertThat(quit.next()).isEqualTo(Outcome.Next.CLOSE);
        assertThat(Pop3ReplyEncoder.render(quit.reply())).isEqualTo("+OK Logging out.\r\n");
        assertThat(session.state()).isEqualTo(Pop3Session.State.UPDATE);
        assertThat(mail.messages(ALICE)).extracting(MaildirMessage::size).containsExactly(51L);
    }

    @Test
    void aLostConnectionDeletesNothingAndReleasesTheLock() {
        Pop3Session session = loggedIn();
        Transcript.play(session, "C: DELE 1\nC: DELE 2\n");

        session.close();

        assertThat(mail.files(ALICE)).isEqualTo(3);
        loggedIn().close();
    }

    @Test
    void aSecondSessionIsToldTheMaildropIsInUse() {
        Pop3Session first = loggedIn();
        Pop3Session second = session(false, true);
        Transcript.check(second, """
                C: USER alice@example.test
                S: +OK
                C: PASS secret
                S: -ERR [IN-USE] Mailbox is locked by another POP3 session.
                """);
        assertThat(second.state()).isEqualTo(Pop3Session.State.AUTHORIZATION);

        first.handle(new Pop3Command.Quit());

        Transcript.check(second, """
                C: USER alice@example.test
                S: +OK
                C: PASS secret
                S: +OK Logged in.
                """);
        second.close();
    }

    @Test
    void failedLoginsAreDelayedAndTheThirdCloses() {
        Pop3Session session = session(false, true);
        session.handle(new Pop3Command.User(ALICE));
        Outcome first = session.handle(new Pop3Command.Pass("wrong"));
        session.handle(new Pop3Command.User("nobody@example.test"));
        Outcome second = session.handle(new Pop3Command.Pass("secret"));
        Outcome third = session.handle(new Pop3Command.Auth(java.util.Optional.of("PLAIN"),
                java.util.Optional.of(plain("", ALICE, "wrong"))));

        assertThat(List.of(first, second, third)).extracting(o -> Pop3ReplyEncoder.render(o.reply()))
                .containsOnly("-ERR [AUTH] Authentication failed.\r\n");
        assertThat(List.of(first, second, third)).extracting(Outcome::delay).containsOnly(DELAY);
        assertThat(List.of(first, second, third)).extracting(Outcome::next)
                .containsExactly(Outcome.Next.COMMAND, Outcome.Next.COMMAND, Outcome.Next.CLOSE);
    }

    @Test
    void authPlainTakesAnInitialResponse() {
        Transcript.check(session(false, true), """
                C: AUTH PLAIN %s
                S: +OK Logged in.
                C: STAT
                S: +OK 3 151
                """.formatted(plain("", ALICE, "secret")));
    }

    @Test
    void authPlainAsksForTheResponseWithAContinuation() {
        Pop3Session session = session(false, true);
        Outcome auth = session.handle(new Pop3Command.Auth(java.util.Optional.of("PLAIN"), java.util.Optional.empty()));
        assertThat(auth.next()).isEqualTo(Outcome.Next.SASL_RESPONSE);
        Transcript.check(session, """
                C: AUTH PLAIN
                S: +
                C: %s
                S: +OK Logged in.
                """.formatted(plain(ALICE, ALICE, "secret")));
    }

    @Test
    void authIsCancelledByAStar() {
        Transcript.check(session(false, true), """
                C: AUTH PLAIN
                S: +
                C: *
                S: -ERR Authentication cancelled.
                C: AUTH LOGIN
                S: -ERR Unsupported authentication mechanism.
                C: AUTH
                S: +OK
                S: PLAIN
                S: .
                """);
    }

    @Test
    void badPlainResponsesFail() {
        Transcript.check(session(false, true), """
                C: AUTH PLAIN !!!notbase64
                S: -ERR [AUTH] Authentication failed.
                C: AUTH PLAIN %s
                S: -ERR [AUTH] Authentication failed.
                """.formatted(plain("bob@example.test", ALICE, "secret")));
    }

    @Test
    void commandsOutsideTheirStateAreRefused() {
        Transcript.check(session(false, true), """
                C: STAT
                S: -ERR Unknown command in the AUTHORIZATION state.
                C: PASS secret
                S: -ERR No username given.
                C: APOP alice@example.test c4c9334bac560ecc979e58001b3e22fb
                S: -ERR APOP is not supported.
                """);
        Transcript.check(loggedIn(), """
                C: USER bob@example.test
                S: -ERR Unknown command in the TRANSACTION state.
                C: STLS
                S: -ERR Unknown command in the TRANSACTION state.
                C: CAPA
                S: +OK Capability list follows
                S: TOP
                S: UIDL
                S: RESP-CODES
                S: AUTH-RESP-CODE
                S: PIPELINING
                S: IMPLEMENTATION berth
                S: .
                """);
    }

    @Test
    void tooManyBadCommandsClose() {
        Pop3Session session = session(false, true);
        for (int i = 0; i < 9; i++) {
            assertThat(session.handle(new Pop3Command.Invalid("Unknown command.")).next()).isEqualTo(Outcome.Next.COMMAND);
        }
        Outcome last = session.handle(new Pop3Command.Invalid("Unknown command."));
        assertThat(last.next()).isEqualTo(Outcome.Next.CLOSE);
        assertThat(Pop3ReplyEncoder.render(last.reply())).isEqualTo("-ERR Too many bad commands.\r\n");
    }

    @Test
    void quitBeforeLoginCloses() {
        Outcome quit = session(false, true).handle(new Pop3Command.Quit());
        assertThat(quit.next()).isEqualTo(Outcome.Next.CLOSE);
        assertThat(Pop3ReplyEncoder.render(quit.reply())).isEqualTo("+OK Logging out.\r\n");
    }

    @Test
    void aMaildropPathTakenByAFileIsAPermanentFailure() throws Exception {
        Path bobs = mail.store.mailbox(dev.berth.maildir.MailUser.of(TestMail.BOB));
        Files.createDirectories(bobs.getParent());
        Files.writeString(bobs, "not a directory");
        Transcript.check(session(false, true), """
                C: USER bob@example.test
                S: +OK
                C: PASS secret
                S: -ERR [SYS/PERM] The mailbox cannot be opened, ask the postmaster.
                """);
    }

    @Test
    void aDeletionThatFailsAtQuitIsATemporaryFailure() throws Exception {
        Pop3Session session = loggedIn();
        Path first = mail.messages(ALICE).getFirst().file();
        Transcript.play(session, "C: DELE 1\nC: DELE 2\n");
        // A non-empty directory where the file was cannot be deleted, not even by root.
        Files.delete(first);
        Files.createDirectories(first.resolve("inside"));

        Transcript.check(session, """
                C: QUIT
                S: -ERR [SYS/TEMP] Some deleted messages were not removed.
                """);
        assertThat(session.state()).isEqualTo(Pop3Session.State.UPDATE);
        loggedIn().close();
    }

    static String plain(String authzid, String login, String password) {
        return Base64.getEncoder().encodeToString((authzid + "\0" + login + "\0" + password)
                .getBytes(StandardCharsets.UTF_8));
    }
}
