package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testpeers.Await;
import dev.berth.testpeers.Clamd;
import dev.berth.testpeers.Dovecot;
import dev.berth.testpeers.Peer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 5 with a real Dovecot as the upstream store, through a real master and worker JVMs:
 * fetchmail, curl and Python poplib/imaplib through the generic (user@host) and dedicated
 * pop3-proxy and the imap-proxy, compared byte for byte with Dovecot served directly.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MailProxyProcessTest {

    static final String SEED = "From: t@example.com\r\nTo: alice\r\nSubject: seed\r\nMessage-ID: <seed@example.com>\r\n"
            + "\r\nhello\r\n.leading dot line\r\n..two dots\r\nlast line\r\n";

    private Path dir;

    private Dovecot dovecot;
    private Berth berth;
    private int pop;
    private int imap;
    private int closed;

    @BeforeAll
    void start(@TempDir Path dir) throws IOException {
        this.dir = dir;
        Path users = Files.writeString(dir.resolve("dovecot-users"), """
                alice:{PLAIN}secret
                carol:{PLAIN}secret
                dave:{PLAIN}secret
                erin:{PLAIN}secret
                """);
        dovecot = Dovecot.in(dir.resolve("dovecot")).users(users)
                .newMessage("alice", SEED)
                .newMessage("alice", SEED.replace("seed@", "second@") + "a second message\r\n")
                .newMessage("carol", SEED)
                .newMessage("erin", SEED)
                .newMessage("dave", Clamd.infectedMessage("From: t@example.com\r\nSubject: infected\r\n"))
                .start();
        pop = dovecot.pop3Port();
        imap = dovecot.imapPort();
        closed = Peer.freePort();
        Path home = dir.resolve("berth");
        Files.createDirectories(home);
        Files.writeString(home.resolve("users.map"), "alice 127.0.0.1:" + imap + "\nerin 127.0.0.1:" + imap + "\n");
        berth = Berth.start(home, """
                master: {run-dir: run, log-dir: log}
                scanners:
                  sig: {kind: signatures}
                pools:
                  mail:
                    workers: 2
                    threads: 2
                    jvm-options: %s
                services:
                  - name: generic
                    kind: pop3-proxy
                    pool: mail
                    listen: ["127.0.0.1:0"]
                    pop3-proxy:
                      route: user-at-host
                      allow: ["127.0.0.1:%d", "127.0.0.1:%d"]
                      upstream-tls: starttls
                      upstream-tls-verify: false
                      scan: [sig]
                  - name: dedicated
                    kind: pop3-proxy
                    pool: mail
                    listen: ["127.0.0.1:0"]
                    pop3-proxy: {upstream: "127.0.0.1:%d"}
                  - name: imap
                    kind: imap-proxy
                    pool: mail
                    listen: ["127.0.0.1:0"]
                    imap-proxy: {route: user-map, user-map: users.map, allow: ["127.0.0.1:%d"]}
                """.formatted(Configs.TEST_JVM, pop, closed, pop, imap));
    }

    @AfterAll
    void stop() {
        Berth.closeAll(berth, dovecot);
    }

    /** Python: every message of a user, RETR'd, as one hex blob per line; with LIST sizes. */
    private Command retrAll(int port, String user, boolean stls) throws IOException {
        return Command.python(dir, """
                import poplib, ssl, sys
                p = poplib.POP3('127.0.0.1', int(sys.argv[1]), timeout=15)
                if sys.argv[3] == 'stls':
                    p.stls(context=ssl._create_unverified_context())
                p.user(sys.argv[2]); p.pass_('secret')
                count, _ = p.stat()
                sizes = [int(l.split()[1]) for l in p.list()[1]]
                for i in range(1, count + 1):
                    resp, lines, octets = p.retr(i)
                    body = b'\\r\\n'.join(lines) + b'\\r\\n'
                    print(sizes[i - 1], octets, body.hex())
                p.quit()
                """, String.valueOf(port), user, stls ? "stls" : "plain");
    }

    @Test
    void poplibThroughBothProxiesGetsTheBytesDovecotServesDirectly() throws Exception {
        Command direct = retrAll(pop, "alice", true);
        Command generic = retrAll(berth.port("generic"), "alice@127.0.0.1:" + pop, false);
        Command dedicated = retrAll(berth.port("dedicated"), "alice", false);
        assertThat(direct.status()).as(direct.output()).isZero();
        assertThat(direct.output().lines()).hasSize(2);
        assertThat(generic.output()).isEqualTo(direct.output());
        assertThat(dedicated.output()).isEqualTo(direct.output());
        String first = direct.output().lines().findFirst().orElseThrow().split(" ")[2];
        assertThat(new String(java.util.HexFormat.of().parseHex(first), StandardCharsets.ISO_8859_1)).isEqualTo(SEED);
    }

    @Test
    void fetchmailFetchesThroughEveryProxyMode() throws Exception {
        Map<String, List<String>> fetched = Map.of(
                "generic", Fetchmail.fetch("POP3", berth.port("generic"), "erin#127.0.0.1:" + pop, "secret",
                        dir.resolve("fetchmail-generic")),
                "dedicated", Fetchmail.fetch("POP3", berth.port("dedicated"), "erin", "secret",
                        dir.resolve("fetchmail-dedicated")),
                "imap", Fetchmail.fetch("IMAP", berth.port("imap"), "erin", "secret", dir.resolve("fetchmail-imap")));
        fetched.forEach((via, mails) -> {
            assertThat(mails).as(via).hasSize(1);
            // fetchmail prepends its own Received: header and hands the MDA LF line ends
            assertThat(mails.getFirst()).as(via).endsWith(SEED.replace("\r\n", "\n"));
        });
    }

    @Test
    void curlFetchesThroughTheGenericProxyWithTheUpstreamInTheName() throws Exception {
        String user = java.net.URLEncoder.encode("alice@127.0.0.1:" + pop, StandardCharsets.UTF_8);
        Command curl = Command.run(dir, "curl", "-sS",
                "pop3://" + user + ":secret@127.0.0.1:" + berth.port("generic") + "/1");
        assertThat(curl.status()).as(curl.output()).isZero();
        assertThat(curl.output().replace("\r\n", "\n")).isEqualTo(SEED.replace("\r\n", "\n"));
    }

    @Test
    void anInfectedMessageIsReplacedByANoticeOfTheSizeListed() throws Exception {
        Command through = retrAll(berth.port("generic"), "dave@127.0.0.1:" + pop, false);
        assertThat(through.status()).as(through.output()).isZero();
        String[] fields = through.output().strip().split(" ");
        assertThat(fields[0]).as("LIST size equals RETR octets").isEqualTo(fields[1]);
        String body = new String(java.util.HexFormat.of().parseHex(fields[2]), StandardCharsets.ISO_8859_1);
        assertThat(body).doesNotContain("EICAR").containsIgnoringCase("Eicar-Test-Signature");
        assertThat(body.length()).isEqualTo(Integer.parseInt(fields[0]));
    }

    @Test
    void anUpstreamOffTheAllowListIsRefusedAndADeadOneIsATemporaryError() throws Exception {
        Command probe = Command.python(dir, """
                import socket, sys
                def session(user):
                    s = socket.create_connection(('127.0.0.1', int(sys.argv[1])), timeout=15)
                    f = s.makefile('rb')
                    f.readline()
                    s.sendall(b'USER ' + user.encode() + b'\\r\\n'); a = f.readline()
                    s.sendall(b'PASS secret\\r\\n'); b = f.readline()
                    s.close()
                    return (a + b).decode()
                print(session('alice@127.0.0.2:' + sys.argv[2]), end='')
                print(session('alice@127.0.0.1:' + sys.argv[3]), end='')
                """, String.valueOf(berth.port("generic")), String.valueOf(pop), String.valueOf(closed));
        List<String> lines = probe.output().lines().toList();
        assertThat(lines).as(probe.output()).hasSize(4);
        assertThat(lines.get(0) + lines.get(1)).contains("-ERR");
        assertThat(lines.get(2) + lines.get(3)).contains("-ERR [SYS/TEMP]");
    }

    @Test
    void aClientThatDropsWithoutQuitCommitsNoDeleUpstream() throws Exception {
        Command drop = Command.python(dir, """
                import socket, sys
                s = socket.create_connection(('127.0.0.1', int(sys.argv[1])), timeout=15)
                f = s.makefile('rb')
                f.readline()
                for line in (b'USER carol', b'PASS secret', b'DELE 1'):
                    s.sendall(line + b'\\r\\n'); print(f.readline().decode().strip())
                s.close()
                """, String.valueOf(berth.port("dedicated")));
        assertThat(drop.output().lines().toList()).as(drop.output()).allMatch(l -> l.startsWith("+OK"));
        Command[] direct = {null};
        Await.until(Duration.ofSeconds(10), Duration.ofMillis(200), () -> {
            try {
                direct[0] = retrAll(pop, "carol", true); // Dovecot may still hold the dropped session
                return direct[0].status() == 0;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        assertThat(direct[0].status()).as(direct[0].output()).isZero();
        assertThat(direct[0].output().lines()).as("the message is still there").hasSize(1);
    }

    @Test
    void curlAndImaplibReadThroughTheImapProxy() throws Exception {
        Command viaProxy = Command.python(dir, """
                import imaplib, ssl, sys
                def fetch(port, tls):
                    m = imaplib.IMAP4('127.0.0.1', port)
                    if tls:
                        m.starttls(ssl_context=ssl._create_unverified_context())
                    m.login('alice', 'secret')
                    m.select('INBOX', readonly=True)
                    typ, data = m.fetch('1', '(BODY.PEEK[])')
                    m.logout()
                    return data[0][1]
                a = fetch(int(sys.argv[1]), False)
                b = fetch(int(sys.argv[2]), True)
                assert a == b, (a, b)
                print(a.hex())
                """, String.valueOf(berth.port("imap")), String.valueOf(imap));
        assertThat(viaProxy.status()).as(viaProxy.output()).isZero();
        assertThat(new String(java.util.HexFormat.of().parseHex(viaProxy.output().strip()), StandardCharsets.ISO_8859_1))
                .isEqualTo(SEED);
        Command curl = Command.run(dir, "curl", "-sS", "imap://127.0.0.1:" + berth.port("imap") + "/INBOX;UID=1",
                "-u", "alice:secret");
        assertThat(curl.status()).as(curl.output()).isZero();
        assertThat(curl.output().replace("\r\n", "\n")).isEqualTo(SEED.replace("\r\n", "\n"));
        Command curlPop = Command.run(dir, "curl", "-sS", "pop3://127.0.0.1:" + berth.port("dedicated") + "/1",
                "-u", "alice:secret");
        assertThat(curlPop.status()).as(curlPop.output()).isZero();
        assertThat(curlPop.output().replace("\r\n", "\n")).isEqualTo(SEED.replace("\r\n", "\n"));
    }
}
