package dev.berth.pop3;

import dev.berth.maildir.Authentication;
import dev.berth.maildir.MailUser;
import dev.berth.maildir.MaildirLock;
import dev.berth.maildir.MaildirMailbox;
import dev.berth.maildir.MaildirMessage;
import dev.berth.maildir.MaildirStore;
import dev.berth.maildir.Users;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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

    /** Where the time of a user's last login is kept (as the file's modification time). */
    static final String LAST_LOGIN = ".berth-last-login";

    private final Users users;
    private final MaildirStore store;
    private final Duration loginDelay;
    private final Clock clock;

    MaildirMaildrops(Users users, MaildirStore store) {
        this(users, store, Duration.ZERO, Clock.systemUTC());
    }

    /**
     * @param loginDelay the minimum time between two logins of one user, counted from the
     *     previous successful login in any worker; zero for none
     * @param clock the time of a login
     */
    MaildirMaildrops(Users users, MaildirStore store, Duration loginDelay, Clock clock) {
        this.users = Objects.requireNonNull(users, "users");
        this.store = Objects.requireNonNull(store, "store");
        this.loginDelay = Objects.requireNonNull(loginDelay, "loginDelay");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Authentication authenticate(String login, String password) {
        return users.authenticate(login, password);
    }

    @Override
    public Maildrop open(MailUser user) throws IOException {
        Path mailbox = store.mailbox(user);
        MaildirLock lock = store.lock(mailbox).orElseThrow(
                () -> new MaildropInUseException("mailbox locked: " + mailbox, null));
        try {
            stampLogin(mailbox);
            return new LockedMaildrop(store.open(mailbox), lock);
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /**
     * Enforces the login delay under the maildrop lock, so that two workers cannot both pass: the
     * time stamp file's modification time is the previous login. A mailbox that does not exist
     * yet has no stamp (nothing to fetch, nothing to protect).
     */
    private void stampLogin(Path mailbox) throws IOException {
        if (!loginDelay.isPositive() || !Files.isDirectory(mailbox)) {
            return;
        }
        Path stamp = mailbox.resolve(LAST_LOGIN);
        Instant now = clock.instant();
        if (Files.exists(stamp)
                && Files.getLastModifiedTime(stamp).toInstant().plus(loginDelay).isAfter(now)) {
            throw new LoginTooSoonException("last login of " + mailbox + " less than " + loginDelay + " ago");
        }
        if (!Files.exists(stamp)) {
            Files.createFile(stamp);
        }
        Files.setLastModifiedTime(stamp, FileTime.from(now));
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
