package dev.berth.mailproxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.testpeers.Commands;
import dev.berth.testpeers.Peer;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The imap-proxy against a real Dovecot, with raw sockets, Python imaplib and curl as clients. */
class ImapProxyDovecotTest {

    @RegisterExtension
    static final DovecotUpstream upstream = new DovecotUpstream(Protocol.IMAP);

    @Test
    void loginIsAnsweredWithTheUpstreamTaggedOkAndThenRelayed() throws Exception {
        try (TestProxy proxy = upstream.dedicated("");
             WireClient client = new WireClient(proxy.port)) {
            assertThat(client.line()).startsWith("* OK [CAPABILITY IMAP4rev1");
            assertThat(client.command("a1 LOGIN alice \"secret\"")).startsWith("a1 OK [CAPABILITY IMAP4rev1").contains("Logged in");
            client.send("a2 SELECT INBOX");
            String line;
            boolean exists = false;
            while (!(line = client.line()).startsWith("a2 ")) {
                exists |= line.equals("* 3 EXISTS\r\n");
            }
            assertThat(line).startsWith("a2 OK");
            assertThat(exists).isTrue();
            assertThat(client.command("a3 LOGOUT")).startsWith("* BYE");
        }
    }

    @Test
    void loginWithSynchronisingLiteralsGetsContinuations() throws Exception {
        try (TestProxy proxy = upstream.dedicated("");
             WireClient client = new WireClient(proxy.port)) {
            client.line();
            assertThat(client.command("x LOGIN {5}")).startsWith("+ ");
            assertThat(client.command("alice {6}")).startsWith("+ ");
            assertThat(client.command("secret")).startsWith("x OK ");
        }
    }

    @Test
    void authenticatePlainWithAndWithoutInitialResponse() throws Exception {
        String plain = Base64.getEncoder().encodeToString("\0alice\0secret".getBytes(StandardCharsets.UTF_8));
        try (TestProxy proxy = upstream.dedicated("");
             WireClient first = new WireClient(proxy.port);
             WireClient second = new WireClient(proxy.port)) {
            first.line();
            assertThat(first.command("a AUTHENTICATE PLAIN " + plain)).startsWith("a OK ");
            second.line();
            assertThat(second.command("b AUTHENTICATE PLAIN")).isEqualTo("+ \r\n");
            assertThat(second.command(plain)).startsWith("b OK ");
        }
    }

    @Test
    void genericRouteLogsInWithTheNameBeforeTheLastAt() throws Exception {
        try (TestProxy proxy = upstream.generic("");
             WireClient client = new WireClient(proxy.port)) {
            client.line();
            assertThat(client.command("a LOGIN \"bob@example.org@127.0.0.1:" + upstream.port() + "\" secret")).startsWith("a OK ");
        }
    }

    @Test
    void aHostOffTheAllowListIsRefusedWithoutConnecting() throws Exception {
        try (ServerSocket bait = new ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress());
             TestProxy proxy = upstream.generic("");
             WireClient client = new WireClient(proxy.port)) {
            client.line();
            assertThat(client.command("a LOGIN alice@127.0.0.1:" + bait.getLocalPort() + " secret"))
                    .startsWith("a NO [AUTHENTICATIONFAILED]").contains("not allowed");
            bait.setSoTimeout(300);
            assertThatThrownBy(bait::accept).isInstanceOf(SocketTimeoutException.class);
        }
    }

    @Test
    void aWrongPasswordGetsTheUpstreamNoAndAnotherAttemptWorks() throws Exception {
        try (TestProxy proxy = upstream.dedicated("");
             WireClient client = new WireClient(proxy.port)) {
            client.line();
            assertThat(client.command("a LOGIN alice wrong")).startsWith("a NO [AUTHENTICATIONFAILED] Authentication failed");
            assertThat(client.command("b LOGIN alice secret")).startsWith("b OK ");
        }
    }

    @Test
    void anUpstreamThatIsDownGivesUnavailable() throws Exception {
        try (TestProxy proxy = upstream.start("upstream: \"127.0.0.1:" + Peer.freePort() + "\"\n", "");
             WireClient client = new WireClient(proxy.port)) {
            client.line();
            assertThat(client.command("a LOGIN alice secret")).startsWith("a NO [UNAVAILABLE]");
            assertThat(client.command("b NOOP")).startsWith("b OK");
        }
    }

    @Test
    void upstreamStarttlsAndIdWork() throws Exception {
        try (TestProxy proxy = upstream.dedicated("upstream-tls: starttls\nupstream-tls-verify: false\nxclient: true\n");
             WireClient client = new WireClient(proxy.port, "127.0.0.3")) {
            client.line();
            assertThat(client.command("a LOGIN alice secret")).startsWith("a OK ");
        }
        upstream.assertTlsLoginFrom("alice", "127.0.0.3");
    }

    @Test
    void imaplibFetchesTheSameBytesAsDirect() throws Exception {
        String script = """
                import imaplib, sys, hashlib
                m = imaplib.IMAP4('127.0.0.1', int(sys.argv[1]), timeout=10)
                m.login(sys.argv[2], 'secret')
                m.select('INBOX')
                for n in (1, 2, 3):
                    typ, data = m.fetch(str(n), '(RFC822)')
                    print(n, hashlib.sha256(data[0][1]).hexdigest())
                m.logout()
                """;
        try (TestProxy proxy = upstream.dedicated("")) {
            String via = TestProxy.python(upstream.dir(), script, List.of(String.valueOf(proxy.port), "alice"));
            String direct = TestProxy.python(upstream.dir(), script, List.of(String.valueOf(upstream.port()), "alice"));
            assertThat(via).isEqualTo(direct).hasLineCount(3);
        }
    }

    @Test
    void curlFetchesThroughAUserMapRoute() throws Exception {
        Path map = upstream.dir().resolve("users.map");
        Files.writeString(map, "# user upstream\nalice 127.0.0.1:" + upstream.port() + "\n");
        try (TestProxy proxy = upstream.start("route: user-map\nuser-map: users.map\n", "")) {
            String out = Commands.output(List.of("curl", "-sS", "--max-time", "10",
                    "imap://127.0.0.1:" + proxy.port + "/INBOX;UID=1", "-u", "alice:secret"));
            assertThat(out).contains("Subject: hello").contains("hello alice");
        }
    }

    @Test
    void imaplibUsesStarttlsOfferedByTheProxy() throws Exception {
        Path certs = upstream.dovecot().dir();
        String script = """
                import imaplib, ssl, sys
                m = imaplib.IMAP4('127.0.0.1', int(sys.argv[1]), timeout=10)
                before = 'STARTTLS' in m.capabilities
                ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
                m.starttls(ssl_context=ctx)
                print(before, 'STARTTLS' in m.capabilities)
                m.login('alice', 'secret')
                print(m.select('INBOX')[1][0].decode())
                m.logout()
                """;
        try (TestProxy proxy = upstream.dedicated("tls: {cert: " + certs.resolve("cert.pem") + ", key: " + certs.resolve("key.pem") + "}\n")) {
            assertThat(TestProxy.python(upstream.dir(), script, List.of(String.valueOf(proxy.port)))).isEqualTo("True False\n3\n");
        }
    }

    @Test
    void commandsPipelinedBehindLoginAreRelayedAfterIt() throws Exception {
        try (TestProxy proxy = upstream.dedicated("");
             WireClient client = new WireClient(proxy.port)) {
            client.line();
            client.send("a LOGIN alice secret\r\nb EXAMINE INBOX\r\nc LOGOUT");
            assertThat(client.line()).startsWith("a OK ");
            String line;
            StringBuilder examine = new StringBuilder();
            while (!(line = client.line()).startsWith("b ")) {
                examine.append(line);
            }
            assertThat(line).startsWith("b OK [READ-ONLY]");
            assertThat(examine).contains("* 3 EXISTS");
            assertThat(client.line()).startsWith("* BYE");
            assertThat(client.line()).startsWith("c OK");
        }
    }
}
