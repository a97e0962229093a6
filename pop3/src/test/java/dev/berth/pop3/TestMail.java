package dev.berth.pop3;

import dev.berth.maildir.MailUser;
import dev.berth.maildir.MaildirMessage;
import dev.berth.maildir.MaildirStore;
import dev.berth.maildir.MaildirTarget;
import dev.berth.maildir.MessageBody;
import dev.berth.maildir.Users;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** A real Maildir root and users file in a temporary directory, with messages delivered into it. */
final class TestMail {

    static final String ALICE = "alice@example.test";
    static final String BOB = "bob@example.test";
    static final String PASSWORD = "secret";

    final Path dir;
    final Path root;
    final Path usersFile;
    final MaildirStore store;
    final Users users;

    TestMail(Path dir) {
        this.dir = dir;
        this.root = dir.resolve("mail");
        this.usersFile = dir.resolve("users.txt");
        try {
            Files.writeString(usersFile, ALICE + ":{PLAIN}" + PASSWORD + "\n" + BOB + ":{PLAIN}" + PASSWORD + "\n");
            this.users = Users.load(usersFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.store = MaildirStore.at(root, "test");
    }

    /** Delivers a message (text with CRLF line ends as given) to a user's mailbox. */
    Path deliver(String address, String message) {
        return deliver(address, message.getBytes(StandardCharsets.UTF_8));
    }

    /** Delivers bytes to a user's mailbox. */
    Path deliver(String address, byte[] message) {
        try {
            MaildirTarget target = new MaildirTarget(store.mailbox(MailUser.of(address)), new byte[0]);
            return store.deliver(List.of(target), MessageBody.of(message)).getFirst();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The messages of a mailbox now (moving new mail to cur, as a login would). */
    List<MaildirMessage> messages(String address) {
        try {
            return store.open(store.mailbox(MailUser.of(address))).messages();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The number of message files in new/ and cur/ of a mailbox. */
    long files(String address) {
        Path mailbox = store.mailbox(MailUser.of(address));
        long count = 0;
        for (String sub : List.of("new", "cur")) {
            Path d = mailbox.resolve(sub);
            if (Files.isDirectory(d)) {
                try (Stream<Path> s = Files.list(d)) {
                    count += s.count();
                }
                catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return count;
    }

    Maildrops maildrops() {
        return new MaildirMaildrops(users, store);
    }

    /** Settings over this root: plaintext auth as given, a short failure delay, no TLS. */
    Pop3Settings settings(boolean allowPlaintextAuth) {
        return new Pop3Settings(root, usersFile, Optional.empty(), allowPlaintextAuth,
                Duration.ofMillis(50), Duration.ofMinutes(10));
    }

    /** Three messages: a short one, one with lines starting with '.', one with a longer body. */
    static final String FIRST = "Subject: one\r\nFrom: a@example.test\r\n\r\nHello.\r\n";
    static final String DOTS = "Subject: dots\r\n\r\n.leading dot\r\n..two dots\r\n.\r\nend\r\n";
    static final String LONG = "Subject: long\r\nX-Header: x\r\n\r\nline 1\r\nline 2\r\nline 3\r\n";
}
