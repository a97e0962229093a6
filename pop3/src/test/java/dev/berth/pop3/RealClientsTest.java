package dev.berth.pop3;

import static dev.berth.pop3.TestMail.ALICE;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Python's poplib, curl and fetchmail against the service on a loopback port. */
class RealClientsTest {

    /** Ends without a line end: the client gets one added before the terminator. */
    private static final String UNTERMINATED = "Subject: open end\r\n\r\nno line end";

    @TempDir
    Path dir;

    private TestMail mail;
    private TestServer server;
    private List<byte[]> stored;

    @BeforeEach
    void mail() {
        mail = new TestMail(dir);
        stored = new ArrayList<>();
        for (String message : List.of(TestMail.FIRST, TestMail.DOTS, TestMail.LONG, UNTERMINATED)) {
            try {
                stored.add(Files.readAllBytes(mail.deliver(ALICE, message)));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** TLS offered; plaintext logins only when allowed. */
    private int start(boolean allowPlaintextAuth) throws Exception {
        server = new TestServer(new Pop3Settings(mail.root, mail.usersFile, Optional.of(TestServer.selfSigned(dir)),
                allowPlaintextAuth, Duration.ofMillis(10), Duration.ofMinutes(10)));
        return server.port();
    }

    private byte[] stored(int number) {
        return stored.get(number - 1);
    }

    @Test
    void pythonPoplibUsesStlsAndSeesTheMaildirByteExactly() throws Exception {
        int port = start(false);
        Path script = dir.resolve("client.py");
        Files.writeString(script, """
                import poplib, ssl, sys
                port, out = int(sys.argv[1]), sys.argv[2]
                p = poplib.POP3('127.0.0.1', port, timeout=10)
                p.stls(ssl._create_unverified_context())
                p.user('alice@example.test')
                p.pass_('secret')
                count, size = p.stat()
                print('stat', count, size)
                print('list', ' '.join(x.decode() for x in p.list()[1]))
                print('uidl', ' '.join(x.decode() for x in p.uidl()[1]))
                for n in range(1, count + 1):
                    with open(f'{out}/retr.{n}', 'wb') as f:
                        f.write(b''.join(line + b'\\r\\n' for line in p.retr(n)[1]))
                print('top', '|'.join(x.decode() for x in p.top(3, 1)[1]))
                print('dele', p.dele(1).decode())
                print('quit', p.quit().decode())
                """);
        List<String> uids = mail.messages(ALICE).stream().map(m -> m.uid()).toList();

        List<String> output = run(List.of("python3", script.toString(), Integer.toString(port), dir.toString()));

        long total = stored.stream().mapToLong(b -> b.length).sum();
        assertThat(output).containsExactly(
                "stat 4 " + total,
                "list 1 46 2 51 3 54 4 " + UNTERMINATED.length(),
                "uidl 1 " + uids.get(0) + " 2 " + uids.get(1) + " 3 " + uids.get(2) + " 4 " + uids.get(3),
                "top Subject: long|X-Header: x||line 1",
                "dele +OK Message 1 deleted.",
                "quit +OK Logging out.");
        for (int n = 1; n <= 3; n++) {
            assertThat(dir.resolve("retr." + n)).hasBinaryContent(stored(n));
        }
        assertThat(dir.resolve("retr.4")).hasContent(UNTERMINATED + "\r\n");
        assertThat(mail.files(ALICE)).isEqualTo(3);
    }

    @Test
    void curlRetrievesWithAndWithoutStls() throws Exception {
        int port = start(true);
        Path plain = dir.resolve("plain.eml");
        Path tls = dir.resolve("tls.eml");
        run(List.of("curl", "-s", "-S", "--max-time", "20", "-o", plain.toString(),
                "pop3://127.0.0.1:" + port + "/2", "-u", ALICE + ":secret"));
        run(List.of("curl", "-s", "-S", "--max-time", "20", "--ssl-reqd", "-k", "-o", tls.toString(),
                "pop3://127.0.0.1:" + port + "/2", "-u", ALICE + ":secret"));
        List<String> listing = run(List.of("curl", "-s", "-S", "--max-time", "20", "--ssl-reqd", "-k",
                "pop3://127.0.0.1:" + port + "/", "-u", ALICE + ":secret"));

        assertThat(plain).hasBinaryContent(stored(2));
        assertThat(tls).hasBinaryContent(stored(2));
        assertThat(listing).containsExactly("1 46", "2 51", "3 54", "4 " + UNTERMINATED.length());
        assertThat(mail.files(ALICE)).isEqualTo(4);
    }

    @Test
    void curlCannotLogInWithoutTlsWhenPlaintextIsOff() throws Exception {
        int port = start(false);
        Process curl = new ProcessBuilder("curl", "-s", "--max-time", "20", "pop3://127.0.0.1:" + port + "/1",
                "-u", ALICE + ":secret").redirectErrorStream(true).redirectOutput(dir.resolve("curl.out").toFile()).start();
        assertThat(curl.waitFor(30, TimeUnit.SECONDS)).isTrue();
        // 67: CURLE_LOGIN_DENIED, the server refused the login (no SASL, USER refused).
        assertThat(curl.exitValue()).isEqualTo(67);
    }

    @Test
    void fetchmailFetchesEveryMessageOverStlsAndKeepsThem() throws Exception {
        int port = start(false);
        Path out = Files.createDirectories(dir.resolve("fetched"));
        Path rc = dir.resolve("fetchmailrc");
        Files.writeString(rc, """
                set no syslog
                set no bouncemail
                set invisible
                poll 127.0.0.1 service %d protocol POP3 uidl auth password
                  user "alice@example.test" there with password "secret" is "root" here
                  sslproto tls1.2+ no sslcertck
                  keep fetchall no rewrite
                  mda "/bin/sh -c 'cat > %s/out.$$'"
                """.formatted(port, out));
        Files.setPosixFilePermissions(rc, PosixFilePermissions.fromString("rw-------"));
        run(List.of("fetchmail", "-f", rc.toString(), "-i", dir.resolve("fetchids").toString(), "--nodetach",
                "--pidfile", dir.resolve("fetchmail.pid").toString()));

        List<String> fetched = new ArrayList<>();
        try (Stream<Path> s = Files.list(out)) {
            for (Path p : s.toList()) {
                fetched.add(Files.readString(p, StandardCharsets.UTF_8));
            }
        }
        // fetchmail hands messages to an MDA with LF line ends; the content is otherwise the same.
        List<String> expected = new ArrayList<>();
        for (int n = 1; n <= 4; n++) {
            expected.add(new String(stored(n), StandardCharsets.UTF_8).replace("\r\n", "\n"));
        }
        expected.set(3, expected.get(3) + "\n");
        assertThat(fetched).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(mail.files(ALICE)).isEqualTo(4);
    }

    /** Runs a client to completion (30 s at most) and returns its output lines; fails on a non-zero exit. */
    private List<String> run(List<String> command) throws Exception {
        Path log = Files.createTempFile(dir, "client", ".out");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command.getFirst() + " did not finish: " + Files.readString(log));
        }
        String output = Files.readString(log);
        assertThat(process.exitValue()).as("%s exit, output:%n%s", command.getFirst(), output).isZero();
        return output.lines().filter(l -> !l.startsWith("fetchmail: WARNING: Running as root")).toList();
    }
}
