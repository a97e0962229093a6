package dev.berth.maildir;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The Maildir store: every copy written to {@code tmp/} and fsynced before any appears in
 * {@code new/}; see {@link MaildirStore}. The fsync of {@code new/} after the renames is a group
 * commit shared with the deliveries that renamed into it at the same time ({@link DirectorySync}).
 * Stateless apart from the name generator; thread-safe.
 */
final class DurableMaildirStore implements MaildirStore {

    private static final System.Logger LOG = System.getLogger(DurableMaildirStore.class.getName());
    private static final int NAME_ATTEMPTS = 5;

    private final Path root;
    private final UniqueNames names;
    private final Clock clock;

    DurableMaildirStore(Path root, String host) {
        this(root, host, Clock.systemUTC());
    }

    DurableMaildirStore(Path root, String host, Clock clock) {
        this.root = Objects.requireNonNull(root, "root");
        this.names = new UniqueNames(host, clock);
        this.clock = clock;
    }

    @Override
    public Path root() {
        return root;
    }

    @Override
    public Path mailbox(MailUser user) {
        Objects.requireNonNull(user, "user");
        return user.domain().isEmpty() ? root.resolve(user.name()) : root.resolve(user.domain()).resolve(user.name());
    }

    /** A copy written to tmp/, not yet delivered. */
    private record Written(Path mailbox, Path tmp, String unique, long size) {
    }

    @Override
    public List<Path> deliver(List<MaildirTarget> targets, MessageBody body) throws IOException {
        Objects.requireNonNull(body, "body");
        if (Objects.requireNonNull(targets, "targets").isEmpty()) {
            throw new IllegalArgumentException("targets: at least one target is needed");
        }
        List<Path> tmps = new ArrayList<>();
        List<Written> written = new ArrayList<>();
        try {
            for (MaildirTarget target : targets) {
                MaildirFiles.ensureMaildir(target.mailbox());
                written.add(writeTmp(target, body, tmps));
            }
        } catch (IOException e) {
            deleteQuietly(tmps, e);
            throw MailboxFullException.classify(e);
        } catch (RuntimeException | Error e) {
            deleteQuietly(tmps, e);
            throw e;
        }
        return publish(written);
    }

    private Written writeTmp(MaildirTarget target, MessageBody body, List<Path> tmps) throws IOException {
        Path tmpDir = target.mailbox().resolve("tmp");
        for (int attempt = 1; ; attempt++) {
            String unique = names.next();
            Path tmp = tmpDir.resolve(unique);
            FileChannel ch;
            try {
                ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            } catch (FileAlreadyExistsException e) {
                if (attempt < NAME_ATTEMPTS) {
                    continue;
                }
                throw e;
            }
            tmps.add(tmp);
            try (ch) {
                CountingOutputStream out = new CountingOutputStream(
                        new BufferedOutputStream(Channels.newOutputStream(ch), 64 * 1024));
                out.write(target.prefix());
                body.writeTo(out);
                out.flush();
                ch.force(true);
                return new Written(target.mailbox(), tmp, unique, out.count);
            }
        }
    }

    private List<Path> publish(List<Written> written) throws IOException {
        List<Path> done = new ArrayList<>();
        try {
            Set<Path> newDirs = new LinkedHashSet<>();
            for (Written w : written) {
                Path newDir = w.mailbox().resolve("new");
                Path dst = newDir.resolve(w.unique() + ",S=" + w.size());
                Files.move(w.tmp(), dst, StandardCopyOption.ATOMIC_MOVE);
                done.add(dst);
                newDirs.add(newDir);
            }
            for (Path dir : newDirs) {
                DirectorySync.of(dir).sync();
            }
            return List.copyOf(done);
        } catch (IOException e) {
            undo(done, written, e);
            throw MailboxFullException.classify(e);
        } catch (RuntimeException | Error e) {
            undo(done, written, e);
            throw e;
        }
    }

    private static void undo(List<Path> published, List<Written> written, Throwable failure) {
        deleteQuietly(published, failure);
        deleteQuietly(written.stream().map(Written::tmp).toList(), failure);
    }

    private static void deleteQuietly(List<Path> files, Throwable failure) {
        for (Path f : files) {
            try {
                Files.deleteIfExists(f);
            } catch (IOException e) {
                failure.addSuppressed(e);
                LOG.log(Level.WARNING, "could not remove " + f + " after a failed delivery", e);
            }
        }
    }

    @Override
    public MaildirMailbox open(Path mailbox) throws IOException {
        return SnapshotMailbox.open(mailbox, clock.instant());
    }

    @Override
    public Optional<MaildirLock> lock(Path mailbox) throws IOException {
        return FileChannelLock.tryLock(mailbox);
    }

    @Override
    public void delete(Collection<MaildirMessage> messages) throws IOException {
        SnapshotMailbox.deleteFiles(messages);
    }

    @Override
    public InputStream read(MaildirMessage message) throws IOException {
        return Files.newInputStream(message.file());
    }

    /** Counts the octets written, which become the {@code S=} size. */
    private static final class CountingOutputStream extends FilterOutputStream {
        private long count;

        CountingOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
