package dev.berth.mailproxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testpeers.Dovecot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit extension for a test class of one proxy protocol: before its tests, a scratch directory
 * and a Dovecot with {@link TestMessages}' mailboxes; after them, Dovecot stopped by its pid and
 * the directory removed. Proxies started with {@link #dedicated}, {@link #generic} and
 * {@link #start} belong to the test, which closes them. Used from the test thread only.
 *
 * <pre>
 * &#64;RegisterExtension
 * static final DovecotUpstream upstream = new DovecotUpstream(Protocol.POP3);
 * </pre>
 */
final class DovecotUpstream implements BeforeAllCallback, AfterAllCallback {

    private final Protocol protocol;
    private Path dir;
    private Dovecot dovecot;

    /** Nothing starts before the test class's {@code beforeAll}; {@code protocol} picks the port and the kind. */
    DovecotUpstream(Protocol protocol) {
        this.protocol = protocol;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("berth-mailproxy-");
        dovecot = TestMessages.dovecot(dir.resolve("dovecot"));
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (dovecot != null) {
            dovecot.close();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    /** The running Dovecot. */
    Dovecot dovecot() {
        return dovecot;
    }

    /** The scratch directory (Dovecot runs in {@code dovecot/} below it). */
    Path dir() {
        return dir;
    }

    /** Dovecot's port for the protocol: POP3 or IMAP, plain with STLS / STARTTLS. */
    int port() {
        return protocol == Protocol.POP3 ? dovecot.pop3Port() : dovecot.imapPort();
    }

    /**
     * Checks (waiting up to 5 s for Dovecot's log) that {@code user} logged in over TLS with
     * {@code clientIp} as the remote address: what the proxy passed with XCLIENT or ID.
     */
    void assertTlsLoginFrom(String user, String clientIp) {
        String service = protocol == Protocol.POP3 ? "pop3-login" : "imap-login";
        assertThat(dovecot.awaitLog(l -> l.contains(service + ": Info: Login: user=<" + user + ">") && l.contains("rip=" + clientIp)))
                .as(dovecot.logins()).hasValueSatisfying(line -> assertThat(line).contains("TLS"));
    }

    /** A proxy with {@code upstream:} this Dovecot, plus the {@code extra} YAML lines. */
    TestProxy dedicated(String extra) throws InterruptedException {
        return start("upstream: \"127.0.0.1:" + port() + "\"\n" + extra, "");
    }

    /** A proxy with {@code route: user-at-host} allowing only this Dovecot, plus {@code extra}. */
    TestProxy generic(String extra) throws InterruptedException {
        return start("route: user-at-host\nallow: [\"127.0.0.1:" + port() + "\"]\n" + extra, "");
    }

    /** A proxy of this protocol with the section's YAML and the top-level {@code scanners:} YAML. */
    TestProxy start(String sectionYaml, String scannersYaml) throws InterruptedException {
        ProxyKind kind = protocol == Protocol.POP3 ? new Pop3ProxyKind() : new ImapProxyKind();
        return TestProxy.start(kind, dir, sectionYaml, scannersYaml);
    }
}
