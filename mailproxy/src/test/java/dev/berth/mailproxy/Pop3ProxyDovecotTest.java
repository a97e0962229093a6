package dev.berth.mailproxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.testpeers.Commands;
import dev.berth.testpeers.Peer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The pop3-proxy against a real Dovecot, with raw sockets, Python poplib and curl as clients:
 * routing, login failures, TLS on both legs, timeouts and draining. Scanning is in
 * {@link Pop3ProxyScanningTest}.
 */
class Pop3ProxyDovecotTest {

    @RegisterExtension
    static final DovecotUpstream upstream = new DovecotUpstream(Protocol.POP3);

    /** A proxy in front of a port that accepts and never answers. */
    private static TestProxy silent(ServerSocket silent, String timeout) throws Exception {
        return upstream.start("upstream: \"127.0.0.1:" + silent.getLocalPort() + "\"\nconnect-timeout: " + timeout + "\n", "");
    }

    /** Reads the greeting and returns the answer to USER {@code user} / PASS {@code password}. */
    private static String greetAndLogin(WireClient client, String user, String password) throws Exception {
        assertThat(client.line()).startsWith("+OK");
        return client.userPass(user, password);
    }

    /** Logs in again on a connection that already failed once, and checks alice's three messages. */
    private static void loginAfterAFailure(WireClient client, String user) throws Exception {
        assertThat(client.userPass(user, "secret")).startsWith("+OK");
        assertThat(client.command("STAT")).startsWith("+OK 3 ");
    }

    @Test
    void messagesAreByteIdenticalThroughTheDedicatedProxy() throws Exception {
        try (TestProxy proxy = upstream.dedicated("");
             WireClient viaProxy = new WireClient(proxy.port);
             WireClient direct = new WireClient(upstream.port())) {
            viaProxy.pop3Login("alice");
            direct.pop3Login("alice");
            assertThat(viaProxy.command("STAT")).isEqualTo(direct.command("STAT"));
            for (int n = 1; n <= 3; n++) {
                assertThat(viaProxy.retr(n)).isEqualTo(direct.retr(n));
            }
            assertThat(viaProxy.command("QUIT")).startsWith("+OK");
            assertThat(proxy.served.get()).isEqualTo(1);
        }
    }

    @Test
    void genericRouteSplitsAtTheLastAtAndLogsInWithTheRest() throws Exception {
        try (TestProxy proxy = upstream.generic("");
             WireClient client = new WireClient(proxy.port)) {
            client.pop3Login("bob@example.org@127.0.0.1:" + upstream.port());
            assertThat(client.command("STAT")).startsWith("+OK 1 ");
            assertThat(new String(client.retr(1), StandardCharsets.UTF_8)).contains("To: bob@example.org");
        }
    }

    @Test
    void genericRouteAcceptsTheHashDelimiter() throws Exception {
        try (TestProxy proxy = upstream.generic("");
             WireClient client = new WireClient(proxy.port)) {
            client.pop3Login("alice#127.0.0.1:" + upstream.port());
            assertThat(client.command("STAT")).startsWith("+OK 3 ");
        }
    }

    @Test
    void aHostOffTheAllowListIsRefusedWithoutConnecting() throws Exception {
        try (ServerSocket bait = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
             TestProxy proxy = upstream.generic("");
             WireClient client = new WireClient(proxy.port)) {
            assertThat(greetAndLogin(client, "alice@127.0.0.1:" + bait.getLocalPort(), "secret"))
                    .startsWith("-ERR [AUTH]").contains("not allowed");
            bait.setSoTimeout(300);
            assertThatThrownBy(bait::accept).isInstanceOf(SocketTimeoutException.class);
            loginAfterAFailure(client, "alice@127.0.0.1:" + upstream.port());
        }
    }

    @Test
    void aWrongPasswordPassesTheUpstreamTextAndAllowsAnotherAttempt() throws Exception {
        try (TestProxy proxy = upstream.dedicated("");
             WireClient client = new WireClient(proxy.port)) {
            assertThat(greetAndLogin(client, "alice", "wrong")).startsWith("-ERR [AUTH] Authentication failed");
            loginAfterAFailure(client, "alice");
        }
    }

    @Test
    void anUpstreamThatIsDownGivesSysTemp() throws Exception {
        try (TestProxy proxy = upstream.start("upstream: \"127.0.0.1:" + Peer.freePort() + "\"\n", "");
             WireClient client = new WireClient(proxy.port)) {
            assertThat(greetAndLogin(client, "alice", "secret")).startsWith("-ERR [SYS/TEMP]");
            assertThat(client.command("CAPA")).startsWith("+OK");
        }
    }

    @Test
    void aClientThatVanishesAfterDeleCommitsNothing() throws Exception {
        try (TestProxy proxy = upstream.dedicated("")) {
            try (WireClient client = new WireClient(proxy.port)) {
                client.pop3Login("alice");
                assertThat(client.command("DELE 1")).startsWith("+OK");
            }
            try (WireClient direct = new WireClient(upstream.port())) {
                direct.pop3Login("alice");
                assertThat(direct.command("STAT")).startsWith("+OK 3 ");
            }
        }
    }

    @Test
    void upstreamStlsAndXclientWork() throws Exception {
        try (TestProxy proxy = upstream.dedicated("upstream-tls: starttls\nupstream-tls-verify: false\nxclient: true\n");
             WireClient client = new WireClient(proxy.port, "127.0.0.2")) {
            client.pop3Login("alice");
            assertThat(client.command("STAT")).startsWith("+OK 3 ");
        }
        // the proxy connects from 127.0.0.1; Dovecot saw the client's address and a TLS session
        upstream.assertTlsLoginFrom("alice", "127.0.0.2");
    }

    @Test
    void poplibUsesStlsOfferedByTheProxy() throws Exception {
        Path certs = upstream.dovecot().dir();
        String script = """
                import poplib, ssl, sys
                p = poplib.POP3('127.0.0.1', int(sys.argv[1]), timeout=10)
                caps = p.capa()
                ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
                p.stls(context=ctx)
                print('STLS' in caps, 'STLS' in p.capa())
                p.user('alice'); p.pass_('secret')
                print(p.stat()[0])
                p.quit()
                """;
        try (TestProxy proxy = upstream.dedicated("tls: {cert: " + certs.resolve("cert.pem") + ", key: " + certs.resolve("key.pem") + "}\n")) {
            String out = TestProxy.python(upstream.dir(), script, List.of(String.valueOf(proxy.port)));
            assertThat(out).isEqualTo("True False\n3\n");
        }
    }

    @Test
    void implicitTlsUpstreamAndAHostNameWork() throws Exception {
        try (TestProxy proxy = upstream.start("upstream: \"localhost:" + upstream.dovecot().pop3sPort() + "\"\n"
                + "upstream-tls: tls\nupstream-tls-verify: false\n", "");
             WireClient client = new WireClient(proxy.port)) {
            client.pop3Login("alice");
            assertThat(client.command("STAT")).startsWith("+OK 3 ");
        }
    }

    @Test
    void aVerifiedUpstreamWithAnUntrustedCertificateIsUnavailable() throws Exception {
        try (TestProxy proxy = upstream.start("upstream: \"localhost:" + upstream.dovecot().pop3sPort() + "\"\n"
                + "upstream-tls: tls\n", "");
             WireClient client = new WireClient(proxy.port)) {
            assertThat(greetAndLogin(client, "alice", "secret")).startsWith("-ERR [SYS/TEMP]");
        }
    }

    @Test
    void anUpstreamThatNeverGreetsTimesOut() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
             TestProxy proxy = silent(silent, "300ms");
             WireClient client = new WireClient(proxy.port)) {
            assertThat(greetAndLogin(client, "alice", "secret")).startsWith("-ERR [SYS/TEMP]").contains("timed out");
        }
    }

    @Test
    void anIdleClientIsLoggedOut() throws Exception {
        try (TestProxy proxy = upstream.dedicated("idle-timeout: 300ms\n")) {
            try (WireClient before = new WireClient(proxy.port)) {
                assertThat(before.line()).startsWith("+OK");
                assertThat(before.line()).startsWith("-ERR [SYS/TEMP] autologout");
                assertThat(before.closedByPeer()).isTrue();
            }
            try (WireClient after = new WireClient(proxy.port)) {
                after.pop3Login("alice");
                assertThat(after.closedByPeer()).isTrue();
            }
        }
    }

    @Test
    void aClientThatLeavesDuringTheLoginClosesTheUpstreamAtOnce() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
             TestProxy proxy = silent(silent, "30s")) {
            WireClient client = new WireClient(proxy.port);
            try {
                assertThat(client.line()).startsWith("+OK");
                assertThat(client.command("USER alice")).startsWith("+OK");
                client.send("PASS secret");
                silent.setSoTimeout(5000);
                try (Socket leg = silent.accept()) {
                    leg.setSoTimeout(5000);
                    client.close();
                    long start = System.nanoTime();
                    assertThat(leg.getInputStream().read()).isEqualTo(-1);
                    assertThat(System.nanoTime() - start).isLessThan(Duration.ofSeconds(4).toNanos());
                }
            } finally {
                client.close();
            }
        }
    }

    @Test
    void drainingEndsLoginPromptsButNotRelayedSessions() throws Exception {
        try (TestProxy proxy = upstream.dedicated("");
             WireClient relayed = new WireClient(proxy.port);
             WireClient waiting = new WireClient(proxy.port)) {
            relayed.pop3Login("alice");
            assertThat(waiting.line()).startsWith("+OK");
            proxy.handler.onDrain();
            assertThat(waiting.line()).startsWith("-ERR [SYS/TEMP] server shutting down");
            assertThat(waiting.closedByPeer()).isTrue();
            assertThat(relayed.command("STAT")).startsWith("+OK 3 ");
            assertThat(relayed.command("QUIT")).startsWith("+OK");
        }
    }

    @Test
    void curlRetrievesAMessageThroughTheDedicatedProxy() throws Exception {
        try (TestProxy proxy = upstream.dedicated("")) {
            String out = Commands.output(List.of("curl", "-sS", "--max-time", "10",
                    "pop3://127.0.0.1:" + proxy.port + "/2", "-u", "alice:secret"));
            assertThat(out.replace("\r\n", "\n")).isEqualTo(TestMessages.DOTS.replace("\r\n", "\n"));
        }
    }

    @Test
    void curlReachesTheGenericProxyWithAPercentEncodedUserInTheUrl() throws Exception {
        // curl -u splits at the first ':', so user@host:port only fits URL userinfo, percent-encoded
        try (TestProxy proxy = upstream.generic("")) {
            String out = Commands.output(List.of("curl", "-sS", "--max-time", "10",
                    "pop3://alice%40127.0.0.1%3A" + upstream.port() + ":secret@127.0.0.1:" + proxy.port + "/1"));
            assertThat(out.replace("\r\n", "\n")).isEqualTo(TestMessages.PLAIN.replace("\r\n", "\n"));
        }
    }
}
