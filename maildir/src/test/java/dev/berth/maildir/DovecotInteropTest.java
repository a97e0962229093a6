package dev.berth.maildir;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.berth.testpeers.Commands;
import dev.berth.testpeers.Dovecot;
import dev.berth.testpeers.Peer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
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

    private Dovecot dovecot;

    @AfterEach
    void stopDovecot() {
        if (dovecot != null) {
            dovecot.close();
        }
    }

    @Test
    void dovecotServesWhatWeDeliverAndWeReadWhatDovecotStores() throws Exception {
        assumeThat(Peer.installed("dovecot")).as("dovecot installed").isTrue();
        assumeThat(Peer.root()).as("running as root").isTrue();

        Path mail = Files.createDirectories(dir.resolve("dovecot/mail"));
        Path users = Files.writeString(dir.resolve("users.txt"), "# our users file, read by both\nalice@example.test:" + BLF + "\n");
        assertThat(Users.load(users).authenticate("alice@example.test", "secret")).isInstanceOf(Authentication.Accepted.class);

        MaildirStore store = MaildirStore.at(mail, "berth.test");
        Path box = store.mailbox(new MailUser("alice", "example.test"));
        byte[] prefix = "Delivered-To: alice@example.test\r\n".getBytes(US_ASCII);
        byte[] body = "Subject: one\r\n\r\n.leading dot\r\nline\r\n".getBytes(US_ASCII);
        List<Path> delivered = new ArrayList<>(store.deliver(List.of(new MaildirTarget(box, prefix)), MessageBody.of(body)));
        delivered.addAll(store.deliver(List.of(new MaildirTarget(box, new byte[0])), MessageBody.of("Subject: two\r\n\r\nx\r\n".getBytes(US_ASCII))));
        byte[] first = Files.readAllBytes(delivered.get(0));
        long secondSize = Files.size(delivered.get(1));

        // Dovecot's own recipe, with our users file and our domain/name Maildir layout
        dovecot = Dovecot.in(dir.resolve("dovecot")).users(users).config("mail_location = maildir:" + mail + "/%d/%n").start();
        int pop3 = dovecot.pop3Port();
        int imap = dovecot.imapPort();

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

    private String python(String script, int port) {
        Commands.Result result = Commands.run(dir, "", Duration.ofSeconds(30), List.of("python3", "-c", script, Integer.toString(port)));
        assertThat(result.exit()).as(result.output() + "\n" + dovecot.log()).isZero();
        return result.output();
    }

    private static String uidOf(Path delivered) {
        String name = delivered.getFileName().toString();
        return name.substring(0, name.indexOf(','));
    }
}
