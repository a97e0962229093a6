package dev.berth.testpeers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.Writer;
import java.io.OutputStreamWriter;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PeerTest {

    @TempDir
    Path dir;

    @Test
    void theLauncherIsFoundAboveTheWorkingDirectory() {
        assertThat(Peer.script()).endsWith(Path.of("peers", "peer")).isExecutable();
        assertThat(Peer.peers().resolve("custom.ndb")).exists();
    }

    @Test
    void aFreePortAcceptsNothing() {
        assertThat(Peer.accepts(Peer.freePort())).isFalse();
    }

    @Test
    void aPeerThatExitsFailsTheStartWithItsOutput() {
        assertThatThrownBy(() -> Peer.start("no-such-peer", dir.resolve("x"), Peer.freePort()))
                .isInstanceOf(PeerException.class).hasMessageContaining("unknown command no-such-peer");
    }

    @Test
    void commandsReportExitAndOutput() {
        Commands.Result result = Commands.run(dir, "hello", Duration.ofSeconds(10), List.of("sh", "-c", "cat; exit 3"));
        assertThat(result).isEqualTo(new Commands.Result(3, "hello"));
        assertThatThrownBy(result::orThrow).isInstanceOf(PeerException.class).hasMessageContaining("exited 3");
        assertThat(Commands.output(List.of("echo", "ok"))).isEqualTo("ok\n");
    }

    @Test
    void theSinkWritesEachMessageToItsOwnFile() throws Exception {
        assumeThat(Peer.installed("smtp-sink")).as("smtp-sink installed").isTrue();
        try (SmtpSink sink = SmtpSink.start(dir.resolve("sink"))) {
            try (Socket s = new Socket("127.0.0.1", sink.port());
                 var in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
                 Writer out = new OutputStreamWriter(s.getOutputStream(), StandardCharsets.US_ASCII)) {
                assertThat(in.readLine()).startsWith("220");
                for (String line : List.of("HELO t", "MAIL FROM:<a@t.test>", "RCPT TO:<b@t.test>", "DATA")) {
                    out.write(line + "\r\n");
                    out.flush();
                    assertThat(in.readLine()).matches("[23].*");
                }
                out.write("Subject: marker-512\r\n\r\nx\r\n.\r\nQUIT\r\n");
                out.flush();
                assertThat(in.readLine()).startsWith("250");
            }
            List<Path> files = sink.awaitMessages(1, Duration.ofSeconds(10));
            assertThat(Files.readString(files.getFirst())).contains("marker-512");
        }
    }

    @Test
    void dovecotServesSeededMessagesToTheExtraUser() throws Exception {
        assumeThat(Peer.installed("dovecot") && Peer.root()).as("dovecot installed, running as root").isTrue();
        try (Dovecot dovecot = Dovecot.in(dir.resolve("dovecot")).user("carol", "pw").config("auth_failure_delay = 0")
                .message("carol", "Subject: one\r\n\r\nhello\r\n").newMessage("carol", "Subject: two\r\n\r\nx\r\n").start()) {
            String out = Commands.output(List.of("python3", "-c", """
                    import poplib, sys
                    p = poplib.POP3('127.0.0.1', int(sys.argv[1]), timeout=10)
                    p.user('carol'); p.pass_('pw')
                    for entry in p.list()[1]: print(entry.decode())
                    p.quit()
                    """, String.valueOf(dovecot.pop3Port())));
            assertThat(out).as(dovecot.log()).isEqualTo("1 23\n2 19\n");
            assertThat(Peer.accepts(dovecot.pop3sPort())).isTrue();
            assertThat(dovecot.awaitLog(l -> l.contains("Login: user=<carol>"))).isPresent();
        }
    }
}
