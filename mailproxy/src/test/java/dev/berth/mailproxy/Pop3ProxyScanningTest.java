package dev.berth.mailproxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testpeers.Clamd;
import dev.berth.testpeers.Commands;
import dev.berth.testpeers.Peer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The scanning pop3-proxy between a real Dovecot and the client, with the signature scanner and a
 * real clamd (custom signatures); clients are raw sockets, Python poplib and fetchmail.
 */
class Pop3ProxyScanningTest {

    private static final String SIGNATURES = "sig: {kind: signatures}\n";

    @RegisterExtension
    static final DovecotUpstream upstream = new DovecotUpstream(Protocol.POP3);
    static Clamd clamd;

    @BeforeAll
    static void startClamd() {
        clamd = Clamd.start(upstream.dir().resolve("clamd"));
    }

    @AfterAll
    static void stopClamd() {
        if (clamd != null) {
            clamd.close();
        }
    }

    /** A proxy that scans with {@code sig}; {@code route} is the section's routing YAML. */
    private static TestProxy scanning(String route) throws Exception {
        return upstream.start(route + "scan: [sig]\n", SIGNATURES);
    }

    private static TestProxy dedicatedScanning() throws Exception {
        return scanning("upstream: \"127.0.0.1:" + upstream.port() + "\"\n");
    }

    private static TestProxy genericScanning() throws Exception {
        return scanning("route: user-at-host\nallow: [\"127.0.0.1:" + upstream.port() + "\"]\n");
    }

    /** A proxy that scans with clamd at {@code port}, answering {@code on-unavailable} as given. */
    private static TestProxy clamdScanning(int port, String onUnavailable) throws Exception {
        return upstream.start("upstream: \"127.0.0.1:" + upstream.port() + "\"\nscan: [clamav]\n",
                "clamav: {kind: clamd, address: \"127.0.0.1:" + port + "\"" + onUnavailable + "}\n");
    }

    @Test
    void clamdFindsTheAttachmentAndTheNoticeKeepsTheListedSize() throws Exception {
        try (TestProxy proxy = clamdScanning(clamd.port(), "");
             WireClient client = new WireClient(proxy.port)) {
            client.pop3Login("alice");
            String list = client.command("LIST 3");
            int listed = Integer.parseInt(list.trim().split(" ")[2]);
            String body = TestMessages.unstuffed(client.retr(3));
            assertThat(body).startsWith("From: Mail Proxy").contains("[virus removed] Custom.EICAR").contains("(clamav)");
            assertThat(body.length()).isEqualTo(listed);
            assertThat(new String(client.retr(1), StandardCharsets.US_ASCII)).contains("hello alice");
        }
    }

    @Test
    void anUnreachableClamdWithTempfailRefusesRetrForNow() throws Exception {
        try (TestProxy proxy = clamdScanning(Peer.freePort(), ", on-unavailable: tempfail");
             WireClient client = new WireClient(proxy.port)) {
            client.pop3Login("alice");
            assertThat(client.command("RETR 1")).startsWith("-ERR [SYS/TEMP]");
            assertThat(client.command("STAT")).startsWith("+OK 3 ");
        }
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
        try (TestProxy proxy = genericScanning()) {
            String out = TestProxy.python(upstream.dir(), script,
                    List.of(String.valueOf(proxy.port), "alice@127.0.0.1:" + upstream.port()));
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
        try (TestProxy proxy = genericScanning()) {
            List<String> messages = messages(fetchmail(proxy.port, "alice@127.0.0.1:" + upstream.port(), "generic"));
            assertThat(messages).hasSize(3);
            assertThat(messages).anySatisfy(m -> assertThat(m).contains("Subject: hello").contains("hello alice"));
            assertThat(messages).anySatisfy(m -> assertThat(m).contains("\n.starts with a dot").contains("\n..two dots"));
            assertThat(messages).anySatisfy(m -> assertThat(m).contains("Subject: [virus removed] Eicar-Test-Signature"));
            assertThat(String.join("", messages)).doesNotContain("WDVPIVAlQEFQ");
        }
    }

    @Test
    void fetchmailRetrievesThroughTheDedicatedProxy() throws Exception {
        try (TestProxy proxy = upstream.dedicated("")) {
            List<String> messages = messages(fetchmail(proxy.port, "alice", "dedicated"));
            assertThat(messages).hasSize(3);
            assertThat(messages).anySatisfy(m -> assertThat(m).contains("WDVPIVAlQEFQ"));
        }
    }

    private static Path fetchmail(int port, String user, String name) throws Exception {
        Path home = Files.createDirectories(upstream.dir().resolve("fetchmail-" + name));
        Path rc = home.resolve("fetchmailrc");
        Files.writeString(rc, "set no syslog\n"
                + "poll 127.0.0.1 service " + port + " protocol POP3 uidl auth password\n"
                + "  user \"" + user + "\" there with password \"secret\" is \"root\" here\n"
                + "  sslproto ''\n  keep fetchall\n"
                + "  mda \"/bin/sh -c 'cat > " + home + "/out.$$.eml'\"\n");
        Files.setPosixFilePermissions(rc, PosixFilePermissions.fromString("rw-------"));
        String log = Commands.output(List.of("env", "HOME=" + home, "fetchmail", "-f", rc.toString(), "-v", "--nodetach",
                "-i", home.resolve("fetchids").toString()));
        assertThat(log).contains("3 messages").doesNotContain("expected length").doesNotContain("mismatch");
        return home;
    }

    private static List<String> messages(Path home) throws IOException {
        try (Stream<Path> files = Files.list(home)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".eml")).map(f -> {
                try {
                    return Files.readString(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
        }
    }

    @Test
    void topOfACleanMessagePassesThroughTheScanningProxy() throws Exception {
        try (TestProxy proxy = dedicatedScanning();
             WireClient viaProxy = new WireClient(proxy.port);
             WireClient direct = new WireClient(upstream.port())) {
            viaProxy.pop3Login("alice");
            direct.pop3Login("alice");
            for (String command : List.of("TOP 2 1", "LIST", "RETR 1")) {
                assertThat(viaProxy.command(command)).isEqualTo(direct.command(command));
                assertThat(viaProxy.multiline()).as(command).isEqualTo(direct.multiline());
            }
        }
    }

    @Test
    void aBigMessageIsByteIdenticalThroughTheScanningProxy() throws Exception {
        try (TestProxy proxy = dedicatedScanning();
             TestProxy plain = upstream.dedicated("");
             WireClient scanned = new WireClient(proxy.port);
             WireClient relayed = new WireClient(plain.port);
             WireClient direct = new WireClient(upstream.port())) {
            scanned.pop3Login("carol");
            relayed.pop3Login("carol");
            direct.pop3Login("carol");
            byte[] expected = direct.retr(1);
            assertThat(expected.length).isGreaterThan(3_000_000);
            assertThat(scanned.retr(1)).isEqualTo(expected);
            assertThat(relayed.retr(1)).isEqualTo(expected);
        }
    }

    @Test
    void commandsPipelinedBehindPassAreRelayedAndFramedAfterTheLogin() throws Exception {
        try (TestProxy proxy = dedicatedScanning();
             WireClient client = new WireClient(proxy.port);
             WireClient direct = new WireClient(upstream.port())) {
            direct.pop3Login("alice");
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
}
