package dev.berth.mailproxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scanning pop3-proxy with a real clamd between a real Dovecot and the client. */
class Pop3ProxyClamdTest {

    @TempDir
    static Path dir;
    static TestDovecot dovecot;
    static TestClamd clamd;

    @BeforeAll
    static void start() throws Exception {
        dovecot = TestDovecot.start(dir);
        clamd = TestClamd.start(dir);
    }

    @AfterAll
    static void stop() throws Exception {
        if (clamd != null) {
            clamd.close();
        }
        if (dovecot != null) {
            dovecot.close();
        }
    }

    private static void login(WireClient client) throws Exception {
        assertThat(client.line()).startsWith("+OK");
        assertThat(client.command("USER alice")).startsWith("+OK");
        assertThat(client.command("PASS secret")).startsWith("+OK");
    }

    @Test
    void clamdFindsTheAttachmentAndTheNoticeKeepsTheListedSize() throws Exception {
        try (TestProxy proxy = TestProxy.start(new Pop3ProxyKind(), dir,
                "upstream: \"127.0.0.1:" + dovecot.pop3Port + "\"\nscan: [clamav]\n",
                "clamav: {kind: clamd, address: \"127.0.0.1:" + clamd.port + "\"}\n");
             WireClient client = new WireClient(proxy.port)) {
            login(client);
            String list = client.command("LIST 3");
            int listed = Integer.parseInt(list.trim().split(" ")[2]);
            assertThat(client.command("RETR 3")).startsWith("+OK");
            String body = new String(DotStuffing.unstuff(client.multiline()), StandardCharsets.US_ASCII);
            body = body.substring(0, body.length() - 2); // the terminator ".CRLF", un-stuffed, is a bare CRLF
            assertThat(body).startsWith("From: Mail Proxy").contains("[virus removed] Custom.EICAR").contains("(clamav)");
            assertThat(body.length()).isEqualTo(listed);
            assertThat(client.command("RETR 1")).startsWith("+OK");
            assertThat(new String(client.multiline(), StandardCharsets.US_ASCII)).contains("hello alice");
        }
    }

    @Test
    void anUnreachableClamdWithTempfailRefusesRetrForNow() throws Exception {
        int closed = TestDovecot.freePort();
        try (TestProxy proxy = TestProxy.start(new Pop3ProxyKind(), dir,
                "upstream: \"127.0.0.1:" + dovecot.pop3Port + "\"\nscan: [clamav]\n",
                "clamav: {kind: clamd, address: \"127.0.0.1:" + closed + "\", on-unavailable: tempfail}\n");
             WireClient client = new WireClient(proxy.port)) {
            login(client);
            assertThat(client.command("RETR 1")).startsWith("-ERR [SYS/TEMP]");
            assertThat(client.command("STAT")).startsWith("+OK 3 ");
        }
    }
}
