package dev.berth.pop3;

import dev.berth.maildir.MailUser;
import dev.berth.maildir.MaildirLock;
import dev.berth.maildir.MaildirMailbox;
import dev.berth.maildir.MaildirMessage;
import dev.berth.maildir.MaildirStore;
import dev.berth.maildir.Users;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link Maildrops} over the maildir module: logins checked against a {@link Users} file, and each
 * maildrop a Maildir under a {@link MaildirStore}, locked with its {@link MaildirLock} (the lock
 * is taken before the snapshot, so that no other session moves or deletes files under it).
 *
 * <p>Thread-safe; every method blocks (see {@link Maildrops}).
 */
final class MaildirMaildrops implements Maildrops {

    private final Users users;
    private final MaildirStore store;

    MaildirMaildrops(Users users, MaildirStore store) {
        this.users = Objects.requireNonNull(users, "users");
        this.store = Objects.requireNonNull(store, "store");
    }

    @Override
    public Optional<MailUser> authenticate(String login, String password) {
        return users.authenticate(login, password);
    }

    @Override
    public Maildrop open(MailUser user) throws IOException {
        Path mailbox = store.mailbox(user);
        MaildirLock lock = store.lock(mailbox).orElseThrow(
                () -> new MaildropInUseException("mailbox locked: " + mailbox, null));
        try {
            return new LockedMaildrop(store.open(mailbox), lock);
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /** A snapshot and the lock it was taken under; closing releases the lock. */
    private record LockedMaildrop(MaildirMailbox mailbox, MaildirLock lock) implements Maildrop {

        @Override
        public List<MaildirMessage> messages() {
            return mailbox.messages();
        }

        @Override
        public InputStream read(MaildirMessage message) throws IOException {
            return mailbox.read(message);
        }

        @Override
        public void delete(Collection<MaildirMessage> messages) throws IOException {
            mailbox.delete(messages);
        }

        @Override
        public void close() {
            lock.close();
        }
    }
}
