package dev.berth.maildir;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dovecot, the reference Maildir server, started here in a temp dir: it authenticates against
 * our users file, serves by POP3 what we delivered (same octet counts), and we read what it
 * stored by IMAP APPEND. Needs root (Dovecot's mail processes run as the dovecot user) and the
 * dovecot binary; skipped otherwise.
 */
class DovecotInteropTest {

    private static final String BLF = "{BLF-CRYPT}$2y$05$yi71m/swEfH4b5NFdXp98uPJD9Rt5s/QmIzDJVwvaJ6gV1.WxxpWa";

    @TempDir
    Path dir;

    private Process dovecot;

    @AfterEach
    void stopDovecot() throws InterruptedException {
        if (dovecot != null) {
            dovecot.destroy();
            if (!dovecot.waitFor(10, TimeUnit.SECONDS)) {
                dovecot.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void dovecotServesWhatWeDeliverAndWeReadWhatDovecotStores() throws Exception {
        Path binary = Path.of("/usr/sbin/dovecot");
        assumeThat(Files.isExecutable(binary)).as("dovecot installed").isTrue();
        assumeThat(Files.getAttribute(Path.of("/proc/self"), "unix:uid")).as("running as root").isEqualTo(0);

        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path mail = Files.createDirectory(dir.resolve("mail"));
        Path users = Files.writeString(dir.resolve("users.txt"), "# our users file, read by both\nalice@example.test:" + BLF + "\n");
        assertThat(Users.load(users).authenticate("alice@example.test", "secret")).isPresent();

        MaildirStore store = MaildirStore.at(mail, "berth.test");
        Path box = store.mailbox(new MailUser("alice", "example.test"));
        byte[] prefix = "Delivered-To: alice@example.test\r\n".getBytes(US_ASCII);
        byte[] body = "Subject: one\r\n\r\n.leading dot\r\nline\r\n".getBytes(US_ASCII);
        List<Path> delivered = new ArrayList<>(store.deliver(List.of(new MaildirTarget(box, prefix)), MessageBody.of(body)));
        delivered.addAll(store.deliver(List.of(new MaildirTarget(box, new byte[0])), MessageBody.of("Subject: two\r\n\r\nx\r\n".getBytes(US_ASCII))));
        byte[] first = Files.readAllBytes(delivered.get(0));
        long secondSize = Files.size(delivered.get(1));
        run("chown", "-R", "dovecot:dovecot", mail.toString());

        int pop3 = freePort();
        int imap = freePort();
        startDovecot(binary, users, mail, pop3, imap);

        // POP3 by Dovecot: LIST sizes are our S= octets, RETR gives our bytes
        String pop = python("""
                import poplib, sys, base64
                p = poplib.POP3('127.0.0.1', int(sys.argv[1]), timeout=10)
                p.user('alice@example.test'); p.pass_('secret')
                for entry in p.list()[1]: print(entry.decode())
                for i in (1, 2): print(base64.b64encode(b'\\r\\n'.join(p.retr(i)[1]) + b'\\r\\n').decode())
                p.quit()
                """, pop3);
        List<String> lines = pop.lines().toList();
        assertThat(lines.subList(0, 2)).containsExactly("1 " + first.length, "2 " + secondSize);
        assertThat(Base64.getDecoder().decode(lines.get(2))).isEqualTo(first);

        // IMAP APPEND by Dovecot: we read its file names and sizes
        python("""
                import imaplib, sys
                m = imaplib.IMAP4('127.0.0.1', int(sys.argv[1]), timeout=10)
                m.login('alice@example.test', 'secret')
                m.append('INBOX', None, None, b'Subject: three\\r\\n\\r\\nfrom dovecot\\r\\n')
                m.logout()
                """, imap);
        MaildirMailbox mailbox = store.open(box);
        assertThat(mailbox.messages()).hasSize(3);
        assertThat(mailbox.messages().subList(0, 2)).extracting(MaildirMessage::uid)
                .containsExactly(uidOf(delivered.get(0)), uidOf(delivered.get(1)));
        MaildirMessage third = mailbox.messages().get(2);
        // Dovecot stores LF line endings: S= is the stored size, its W= (32) the CRLF size
        assertThat(third.file().getFileName().toString()).contains(",S=29,W=32");
        assertThat(third.size()).isEqualTo(Files.size(third.file())).isEqualTo(29);
        try (var in = mailbox.read(third)) {
            assertThat(new String(in.readAllBytes(), US_ASCII)).isEqualTo("Subject: three\n\nfrom dovecot\n");
        }
    }

    private void startDovecot(Path binary, Path users, Path mail, int pop3, int imap) throws Exception {
        Path conf = Files.writeString(dir.resolve("dovecot.conf"), """
                base_dir = %1$s/run
                state_dir = %1$s/state
                instance_name = berth-maildir-test
                protocols = pop3 imap
                listen = 127.0.0.1
                log_path = %1$s/dovecot.log
                ssl = no
                disable_plaintext_auth = no
                auth_mechanisms = plain
                mail_location = maildir:%2$s/%%d/%%n
                first_valid_uid = 1
                default_internal_user = dovecot
                default_login_user = dovenull
                passdb {
                  driver = passwd-file
                  args = %3$s
                }
                userdb {
                  driver = static
                  args = uid=dovecot gid=dovecot home=%2$s/%%d/%%n
                }
                service pop3-login {
                  inet_listener pop3 {
                    address = 127.0.0.1
                    port = %4$d
                  }
                  inet_listener pop3s {
                    port = 0
                  }
                }
                service imap-login {
                  inet_listener imap {
                    address = 127.0.0.1
                    port = %5$d
                  }
                  inet_listener imaps {
                    port = 0
                  }
                }
                """.formatted(dir, mail, users, pop3, imap));
        dovecot = new ProcessBuilder(binary.toString(), "-F", "-c", conf.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("dovecot.out").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!listening(pop3) || !listening(imap)) {
            assertThat(dovecot.isAlive()).as("dovecot running: " + Files.readString(dir.resolve("dovecot.out"))).isTrue();
            assertThat(System.nanoTime()).as("dovecot listening within 15 s").isLessThan(deadline);
            dovecot.waitFor(50, TimeUnit.MILLISECONDS);
        }
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private String python(String script, int port) throws Exception {
        Process p = new ProcessBuilder("python3", "-c", script, Integer.toString(port)).redirectErrorStream(true).start();
        try {
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("python3 finished").isTrue();
            String out = new String(p.getInputStream().readAllBytes(), UTF_8);
            assertThat(p.exitValue()).as(out + "\n" + log()).isZero();
            return out;
        } finally {
            p.destroyForcibly();
        }
    }

    private String log() throws IOException {
        Path log = dir.resolve("dovecot.log");
        return Files.exists(log) ? Files.readString(log) : "(no dovecot.log)";
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes(), UTF_8)).isZero();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String uidOf(Path delivered) {
        String name = delivered.getFileName().toString();
        return name.substring(0, name.indexOf(','));
    }
}
