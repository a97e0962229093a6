package dev.berth.smtp;

import static dev.berth.smtp.TestSmtp.send;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.scoreboard.ClientTable;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthThrottleTest {

    private static final String SMTP = """
            hostname: mx.example.test
            maildir: mail
            users: users.txt
            domains: [example.test]
            auth: {require-tls: false}
            limits: {error-delay: 0s, errors: 100, auth-failures: 5}
            """;

    @TempDir
    Path dir;

    private static String plain(String user, String password) {
        return Base64.getEncoder().encodeToString(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static String auth(SmtpSession session, String password) {
        return send(session, "AUTH PLAIN " + plain("alice@example.test", password));
    }

    private static SmtpSession ehlo(TestSmtp worker, String client) {
        SmtpSession session = worker.session(client);
        send(session, "EHLO c.test");
        return session;
    }

    @Test
    void failuresCountAcrossConnectionsAndWorkersUntilAuthIsRefused() {
        try (ClientTable host = ClientTable.create(dir.resolve("clients"), 64)) {
            TestSmtp one = TestSmtp.create(dir, SMTP, "", Optional.of(dir.resolve("clients")));
            TestSmtp two = TestSmtp.create(dir, SMTP, "", Optional.of(dir.resolve("clients")));
            for (int i = 0; i < 5; i++) {
                SmtpSession connection = ehlo(i % 2 == 0 ? one : two, "192.0.2.7");
                assertThat(auth(connection, "guess" + i)).startsWith("535 5.7.8 ");
            }
            assertThat(auth(ehlo(one, "192.0.2.7"), "secret")).isEqualTo("454 4.7.0 Too many failed authentications"
                    + " from your address, try again later");
            assertThat(auth(ehlo(two, "192.0.2.7"), "secret")).startsWith("454 4.7.0 ");
            assertThat(auth(ehlo(two, "192.0.2.8"), "secret")).startsWith("235 2.7.0 ");
            assertThat(host.count(ClientTable.key("smtp-auth", "mx", new byte[] {(byte) 192, 0, 2, 7}),
                    System.nanoTime() / 1_000_000_000L, 600)).isEqualTo(5);
        }
    }

    @Test
    void anIpv6ClientIsCountedByItsSlash64() throws Exception {
        TestSmtp worker = TestSmtp.maildir(dir, "auth: {require-tls: false}\nlimits: {error-delay: 0s, errors: 100, auth-failures: 2}\n");
        assertThat(auth(ehlo(worker, "2001:db8::1"), "a")).startsWith("535 ");
        assertThat(auth(ehlo(worker, "2001:db8::2"), "b")).startsWith("535 ");
        assertThat(auth(ehlo(worker, "2001:db8:0:0:ffff::3"), "secret")).startsWith("454 ");
        assertThat(auth(ehlo(worker, "2001:db8:0:1::1"), "secret")).startsWith("235 ");
    }

    @Test
    void theRefusalEndsWithTheWindowOfTheFirstFailure() throws Exception {
        AtomicLong seconds = new AtomicLong(1000);
        try (ClientTable table = ClientTable.inMemory(64)) {
            AuthThrottle throttle = new AuthThrottle(table, "mx", 3, Duration.ofMinutes(10), seconds::get);
            AuthThrottle.Guard guard = throttle.forClient(InetAddress.ofLiteral("198.51.100.1"));
            for (int i = 0; i < 3; i++) {
                assertThat(guard.refuses()).isFalse();
                guard.failed();
                seconds.addAndGet(60);
            }
            assertThat(guard.refuses()).isTrue();
            seconds.set(1000 + 599);
            assertThat(guard.refuses()).isTrue();
            seconds.set(1000 + 600);
            assertThat(guard.refuses()).isFalse();
        }
    }
}
