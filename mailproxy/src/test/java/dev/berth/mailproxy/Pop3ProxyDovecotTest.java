package dev.berth.mailproxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pop3-proxy against a real Dovecot, with raw sockets and Python poplib as clients. */
class Pop3ProxyDovecotTest {

    @TempDir
    static Path dir;
    static TestDovecot dovecot;

    @BeforeAll
    static void startDovecot() throws Exception {
        dovecot = TestDovecot.start(dir);
    }

    @AfterAll
    static void stopDovecot() throws Exception {
        if (dovecot != null) {
            dovecot.close();
        }
    }

    private TestProxy dedicated(String extra) throws Exception {
        return TestProxy.start(new Pop3ProxyKind(), dir,
                "upstream: \"127.0.0.1:" + dovecot.pop3Port + "\"\n" + extra, "");
    }

    private TestProxy generic(String extra) throws Exception {
        return TestProxy.start(new Pop3ProxyKind(), dir,
                "route: user-at-host\nallow: [\"127.0.0.1:" + dovecot.pop3Port + "\"]\n" + extra, "");
    }

    private static void login(WireClient client, String user) throws Exception {
        assertThat(client.line()).startsWith("+OK");
        assertThat(client.command("USER " + user)).startsWith("+OK");
        assertThat(client.command("PASS secret")).startsWith("+OK");
    }

    private static byte[] retr(WireClient client, int n) throws Exception {
        assertThat(client.command("RETR " + n)).startsWith("+OK");
        return client.multiline();
    }

    @Test
    void messagesAreByteIdenticalThroughTheDedicatedProxy() throws Exception {
        try (TestProxy proxy = dedicated("");
             WireClient viaProxy = new WireClient(proxy.port);
             WireClient direct = new WireClient(dovecot.pop3Port)) {
            login(viaProxy, "alice");
            login(direct, "alice");
            assertThat(viaProxy.command("STAT")).isEqualTo(direct.command("STAT"));
            for (int n = 1; n <= 3; n++) {
                assertThat(retr(viaProxy, n)).isEqualTo(retr(direct, n));
            }
            assertThat(viaProxy.command("QUIT")).startsWith("+OK");
            assertThat(proxy.served.get()).isEqualTo(1);
        }
    }

    @Test
    void genericRouteSplitsAtTheLastAtAndLogsInWithTheRest() throws Exception {
        try (TestProxy proxy = generic("");
             WireClient client = new WireClient(proxy.port)) {
            login(client, "bob@example.org@127.0.0.1:" + dovecot.pop3Port);
            assertThat(client.command("STAT")).startsWith("+OK 1 ");
            assertThat(new String(retr(client, 1), StandardCharsets.UTF_8)).contains("To: bob@example.org");
        }
    }

    @Test
    void genericRouteAcceptsTheHashDelimiter() throws Exception {
        try (TestProxy proxy = generic("");
             WireClient client = new WireClient(proxy.port)) {
            login(client, "alice#127.0.0.1:" + dovecot.pop3Port);
            assertThat(client.command("STAT")).startsWith("+OK 3 ");
        }
    }

    @Test
    void aHostOffTheAllowListIsRefusedWithoutConnecting() throws Exception {
        try (ServerSocket bait = new ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress());
             TestProxy proxy = generic("");
             WireClient client = new WireClient(proxy.port)) {
            assertThat(client.line()).startsWith("+OK");
            assertThat(client.command("USER alice@127.0.0.1:" + bait.getLocalPort())).startsWith("+OK");
            assertThat(client.command("PASS secret")).startsWith("-ERR [AUTH]").contains("not allowed");
            bait.setSoTimeout(300);
            org.assertj.core.api.Assertions.assertThatThrownBy(bait::accept).isInstanceOf(SocketTimeoutException.class);
            login2(client, "alice@127.0.0.1:" + dovecot.pop3Port);
        }
    }

    private static void login2(WireClient client, String user) throws Exception {
        assertThat(client.command("USER " + user)).startsWith("+OK");
        assertThat(client.command("PASS secret")).startsWith("+OK");
        assertThat(client.command("STAT")).startsWith("+OK 3 ");
    }

    @Test
    void aWrongPasswordPassesTheUpstreamTextAndAllowsAnotherAttempt() throws Exception {
        try (TestProxy proxy = dedicated("");
             WireClient client = new WireClient(proxy.port)) {
            assertThat(client.line()).startsWith("+OK");
            assertThat(client.command("USER alice")).startsWith("+OK");
            assertThat(client.command("PASS wrong")).startsWith("-ERR [AUTH] Authentication failed");
            login2(client, "alice");
        }
    }

    @Test
    void anUpstreamThatIsDownGivesSysTemp() throws Exception {
        int closed = TestDovecot.freePort();
        try (TestProxy proxy = TestProxy.start(new Pop3ProxyKind(), dir, "upstream: \"127.0.0.1:" + closed + "\"\n", "");
             WireClient client = new WireClient(proxy.port)) {
            assertThat(client.line()).startsWith("+OK");
            assertThat(client.command("USER alice")).startsWith("+OK");
            assertThat(client.command("PASS secret")).startsWith("-ERR [SYS/TEMP]");
            assertThat(client.command("CAPA")).startsWith("+OK");
        }
    }

    @Test
    void aClientThatVanishesAfterDeleCommitsNothing() throws Exception {
        try (TestProxy proxy = dedicated("")) {
            try (WireClient client = new WireClient(proxy.port)) {
                login(client, "alice");
                assertThat(client.command("DELE 1")).startsWith("+OK");
            }
            try (WireClient direct = new WireClient(dovecot.pop3Port)) {
                login(direct, "alice");
                assertThat(direct.command("STAT")).startsWith("+OK 3 ");
            }
        }
    }

    @Test
    void upstreamStlsAndXclientWork() throws Exception {
        try (TestProxy proxy = dedicated("upstream-tls: starttls\nupstream-tls-verify: false\nxclient: true\n");
             WireClient client = new WireClient(proxy.port, "127.0.0.2")) {
            login(client, "alice");
            assertThat(client.command("STAT")).startsWith("+OK 3 ");
        }
        // the proxy connects from 127.0.0.1; Dovecot saw the client's address and a TLS session
        assertThat(dovecot.awaitLog(l -> l.contains("pop3-login: Info: Login: user=<alice>") && l.contains("rip=127.0.0.2")))
                .as(dovecot.logins()).hasValueSatisfying(line -> assertThat(line).contains("TLS"));
    }

    @Test
    void poplibThroughTheScanningProxySeesTheNoticeWithConsistentSizes() throws Exception {
        String script = """
                import poplib, sys
                p = poplib.POP3('127.0.0.1', int(sys.argv[1]), timeout=10)
                p.user(sys.argv[2]); p.pass_('secret')
                count, total = p.stat()
                sizes = {int(l.split()[0]): int(l.split()[1]) for l in p.list()[1]}
                got = 0
                for n in range(1, count + 1):
                    resp, lines, octets = p.retr(n)
                    body = b'\\r\\n'.join(lines) + b'\\r\\n'
                    got += len(body)
                    print(n, sizes[n], octets, len(body), b'virus removed' in body, b'.starts with a dot' in body)
                print('total', total, got)
                p.quit()
                """;
        try (TestProxy proxy = TestProxy.start(new Pop3ProxyKind(), dir,
                "route: user-at-host\nallow: [\"127.0.0.1:" + dovecot.pop3Port + "\"]\nscan: [sig]\n",
                "sig: {kind: signatures}\n")) {
            String out = TestProxy.python(dir, script, List.of(String.valueOf(proxy.port), "alice@127.0.0.1:" + dovecot.pop3Port));
            List<String> lines = out.lines().toList();
            assertThat(lines).hasSize(4);
            for (String line : lines.subList(0, 3)) {
                String[] f = line.split(" ");
                assertThat(f[1]).as(line).isEqualTo(f[3]);
            }
            assertThat(lines.get(0)).endsWith("False False");
            assertThat(lines.get(1)).endsWith("False True");
            assertThat(lines.get(2)).endsWith("True False");
            String[] total = lines.get(3).split(" ");
            assertThat(total[1]).isEqualTo(total[2]);
        }
    }

    @Test
    void fetchmailRetrievesEverythingThroughTheGenericScanningProxy() throws Exception {
        try (TestProxy proxy = TestProxy.start(new Pop3ProxyKind(), dir,
                "route: user-at-host\nallow: [\"127.0.0.1:" + dovecot.pop3Port + "\"]\nscan: [sig]\n",
                "sig: {kind: signatures}\n")) {
            Path out = fetchmail(proxy.port, "alice@127.0.0.1:" + dovecot.pop3Port, "generic");
            List<String> messages = messages(out);
            assertThat(messages).hasSize(3);
            assertThat(messages).anySatisfy(m -> assertThat(m).contains("Subject: hello").contains("hello alice"));
            assertThat(messages).anySatisfy(m -> assertThat(m).contains("\n.starts with a dot").contains("\n..two dots"));
            assertThat(messages).anySatisfy(m -> assertThat(m).contains("Subject: [virus removed] Eicar-Test-Signature"));
            assertThat(String.join("", messages)).doesNotContain("WDVPIVAlQEFQ");
        }
    }

    @Test
    void fetchmailRetrievesThroughTheDedicatedProxy() throws Exception {
        try (TestProxy proxy = dedicated("")) {
            List<String> messages = messages(fetchmail(proxy.port, "alice", "dedicated"));
            assertThat(messages).hasSize(3);
            assertThat(messages).anySatisfy(m -> assertThat(m).contains("WDVPIVAlQEFQ"));
        }
    }

    private static Path fetchmail(int port, String user, String name) throws Exception {
        Path home = java.nio.file.Files.createDirectories(dir.resolve("fetchmail-" + name));
        Path rc = home.resolve("fetchmailrc");
        java.nio.file.Files.writeString(rc, "set no syslog\n"
                + "poll 127.0.0.1 service " + port + " protocol POP3 uidl auth password\n"
                + "  user \"" + user + "\" there with password \"secret\" is \"root\" here\n"
                + "  sslproto ''\n  keep fetchall\n"
                + "  mda \"/bin/sh -c 'cat > " + home + "/out.$$.eml'\"\n");
        java.nio.file.Files.setPosixFilePermissions(rc, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        String log = TestDovecot.run(List.of("env", "HOME=" + home, "fetchmail", "-f", rc.toString(), "-v", "--nodetach",
                "-i", home.resolve("fetchids").toString()));
        assertThat(log).contains("3 messages").doesNotContain("expected length").doesNotContain("mismatch");
        return home;
    }

    private static List<String> messages(Path home) throws Exception {
        try (var files = java.nio.file.Files.list(home)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".eml")).map(f -> {
                try {
                    return java.nio.file.Files.readString(f);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
    }

    @Test
    void curlRetrievesAMessageThroughTheDedicatedProxy() throws Exception {
        try (TestProxy proxy = dedicated("")) {
            String out = TestDovecot.run(List.of("curl", "-sS", "--max-time", "10",
                    "pop3://127.0.0.1:" + proxy.port + "/2", "-u", "alice:secret"));
            assertThat(out.replace("\r\n", "\n")).isEqualTo(TestDovecot.DOTS.replace("\r\n", "\n"));
        }
    }

    @Test
    void poplibUsesStlsOfferedByTheProxy() throws Exception {
        Path certs = dovecot.dir.resolve("dovecot");
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
        try (TestProxy proxy = dedicated("tls: {cert: " + certs.resolve("cert.pem") + ", key: " + certs.resolve("key.pem") + "}\n")) {
            String out = TestProxy.python(dir, script, List.of(String.valueOf(proxy.port)));
            assertThat(out).isEqualTo("True False\n3\n");
        }
    }

    @Test
    void topOfACleanMessagePassesThroughTheScanningProxy() throws Exception {
        try (TestProxy proxy = TestProxy.start(new Pop3ProxyKind(), dir,
                "upstream: \"127.0.0.1:" + dovecot.pop3Port + "\"\nscan: [sig]\n", "sig: {kind: signatures}\n");
             WireClient viaProxy = new WireClient(proxy.port);
             WireClient direct = new WireClient(dovecot.pop3Port)) {
            login(viaProxy, "alice");
            login(direct, "alice");
            assertThat(viaProxy.command("TOP 2 1")).isEqualTo(direct.command("TOP 2 1"));
            assertThat(viaProxy.multiline()).isEqualTo(direct.multiline());
            assertThat(viaProxy.command("LIST")).isEqualTo(direct.command("LIST"));
            assertThat(viaProxy.multiline()).isEqualTo(direct.multiline());
            assertThat(viaProxy.command("RETR 1")).isEqualTo(direct.command("RETR 1"));
            assertThat(viaProxy.multiline()).isEqualTo(direct.multiline());
        }
    }

    @Test
    void implicitTlsUpstreamAndAHostNameWork() throws Exception {
        try (TestProxy proxy = TestProxy.start(new Pop3ProxyKind(), dir, "upstream: \"localhost:" + dovecot.pop3sPort + "\"\n"
                + "upstream-tls: tls\nupstream-tls-verify: false\n", "");
             WireClient client = new WireClient(proxy.port)) {
            login(client, "alice");
            assertThat(client.command("STAT")).startsWith("+OK 3 ");
        }
    }

    @Test
    void aVerifiedUpstreamWithAnUntrustedCertificateIsUnavailable() throws Exception {
        try (TestProxy proxy = TestProxy.start(new Pop3ProxyKind(), dir, "upstream: \"localhost:" + dovecot.pop3sPort + "\"\n"
                + "upstream-tls: tls\n", "");
             WireClient client = new WireClient(proxy.port)) {
            assertThat(client.line()).startsWith("+OK");
            assertThat(client.command("USER alice")).startsWith("+OK");
            assertThat(client.command("PASS secret")).startsWith("-ERR [SYS/TEMP]");
        }
    }

    @Test
    void anUpstreamThatNeverGreetsTimesOut() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress());
             TestProxy proxy = TestProxy.start(new Pop3ProxyKind(), dir,
                     "upstream: \"127.0.0.1:" + silent.getLocalPort() + "\"\nconnect-timeout: 300ms\n", "");
             WireClient client = new WireClient(proxy.port)) {
            assertThat(client.line()).startsWith("+OK");
            assertThat(client.command("USER alice")).startsWith("+OK");
            assertThat(client.command("PASS secret")).startsWith("-ERR [SYS/TEMP]").contains("timed out");
        }
    }

    @Test
    void anIdleClientIsLoggedOut() throws Exception {
        try (TestProxy proxy = dedicated("idle-timeout: 300ms\n")) {
            try (WireClient before = new WireClient(proxy.port)) {
                assertThat(before.line()).startsWith("+OK");
                assertThat(before.line()).startsWith("-ERR [SYS/TEMP] autologout");
                assertThat(before.closedByPeer()).isTrue();
            }
            try (WireClient after = new WireClient(proxy.port)) {
                login(after, "alice");
                assertThat(after.closedByPeer()).isTrue();
            }
        }
    }

    @Test
    void aClientThatLeavesDuringTheLoginClosesTheUpstreamAtOnce() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress());
             TestProxy proxy = TestProxy.start(new Pop3ProxyKind(), dir,
                     "upstream: \"127.0.0.1:" + silent.getLocalPort() + "\"\nconnect-timeout: 30s\n", "")) {
            WireClient client = new WireClient(proxy.port);
            try {
                assertThat(client.line()).startsWith("+OK");
                assertThat(client.command("USER alice")).startsWith("+OK");
                client.send("PASS secret");
                silent.setSoTimeout(5000);
                try (java.net.Socket upstream = silent.accept()) {
                    upstream.setSoTimeout(5000);
                    client.close();
                    long start = System.nanoTime();
                    assertThat(upstream.getInputStream().read()).isEqualTo(-1);
                    assertThat(System.nanoTime() - start).isLessThan(java.time.Duration.ofSeconds(4).toNanos());
                }
            } finally {
                client.close();
            }
        }
    }

    @Test
    void aBigMessageIsByteIdenticalThroughTheScanningProxy() throws Exception {
        try (TestProxy proxy = TestProxy.start(new Pop3ProxyKind(), dir,
                "upstream: \"127.0.0.1:" + dovecot.pop3Port + "\"\nscan: [sig]\n", "sig: {kind: signatures}\n");
             TestProxy plain = dedicated("");
             WireClient scanned = new WireClient(proxy.port);
             WireClient relayed = new WireClient(plain.port);
             WireClient direct = new WireClient(dovecot.pop3Port)) {
            login(scanned, "carol");
            login(relayed, "carol");
            login(direct, "carol");
            byte[] expected = retr(direct, 1);
            assertThat(expected.length).isGreaterThan(3_000_000);
            assertThat(retr(scanned, 1)).isEqualTo(expected);
            assertThat(retr(relayed, 1)).isEqualTo(expected);
        }
    }

    @Test
    void drainingEndsLoginPromptsButNotRelayedSessions() throws Exception {
        try (TestProxy proxy = dedicated("");
             WireClient relayed = new WireClient(proxy.port);
             WireClient waiting = new WireClient(proxy.port)) {
            login(relayed, "alice");
            assertThat(waiting.line()).startsWith("+OK");
            proxy.handler.onDrain();
            assertThat(waiting.line()).startsWith("-ERR [SYS/TEMP] server shutting down");
            assertThat(waiting.closedByPeer()).isTrue();
            assertThat(relayed.command("STAT")).startsWith("+OK 3 ");
            assertThat(relayed.command("QUIT")).startsWith("+OK");
        }
    }

    @Test
    void commandsPipelinedBehindPassAreRelayedAndFramedAfterTheLogin() throws Exception {
        try (TestProxy proxy = TestProxy.start(new Pop3ProxyKind(), dir,
                "upstream: \"127.0.0.1:" + dovecot.pop3Port + "\"\nscan: [sig]\n", "sig: {kind: signatures}\n");
             WireClient client = new WireClient(proxy.port);
             WireClient direct = new WireClient(dovecot.pop3Port)) {
            login(direct, "alice");
            assertThat(client.line()).startsWith("+OK");
            client.send("USER alice\r\nPASS secret\r\nSTAT\r\nRETR 2\r\nLIST\r\nQUIT");
            assertThat(client.line()).startsWith("+OK send PASS");
            assertThat(client.line()).startsWith("+OK Logged in");
            assertThat(client.line()).isEqualTo(direct.command("STAT"));
            assertThat(client.line()).isEqualTo(direct.command("RETR 2"));
            assertThat(client.multiline()).isEqualTo(direct.multiline());
            assertThat(client.line()).isEqualTo(direct.command("LIST"));
            assertThat(client.multiline()).isEqualTo(direct.multiline());
            assertThat(client.line()).startsWith("+OK");
            assertThat(client.closedByPeer()).isTrue();
        }
    }

    @Test
    void curlReachesTheGenericProxyWithAPercentEncodedUserInTheUrl() throws Exception {
        // curl -u splits at the first ':', so user@host:port only fits URL userinfo, percent-encoded
        try (TestProxy proxy = generic("")) {
            String out = TestDovecot.run(List.of("curl", "-sS", "--max-time", "10",
                    "pop3://alice%40127.0.0.1%3A" + dovecot.pop3Port + ":secret@127.0.0.1:" + proxy.port + "/1"));
            assertThat(out.replace("\r\n", "\n")).isEqualTo(TestDovecot.PLAIN.replace("\r\n", "\n"));
        }
    }
}
