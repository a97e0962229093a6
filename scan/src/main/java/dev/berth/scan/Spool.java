package dev.berth.scan;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.LinkOption;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where message content too large for memory waits for the scanners (and for delivery or the
 * client): one directory per owner under a root that the workers of a host share. A worker that is
 * killed leaves its files behind; the next owner to open a spool on the same root removes them.
 *
 * <pre>
 * root/
 *   12345-1f9a0c.lock    held (a POSIX record lock) by its live owner for as long as it runs
 *   12345-1f9a0c/        that owner's files: msg-1.tmp, msg-2.tmp ...
 *   9876-77be01.lock     nobody holds it: its owner died; the next open removes it and its directory
 * </pre>
 *
 * An owner creates its lock file (new name: pid, time, random), locks it, checks that it still
 * exists (a concurrent cleaner may have taken and removed it first; then it tries a new name), and
 * only then creates its directory. A cleaner removes a directory only while holding its lock, and
 * removes the lock file last, so a live owner's files are never touched.
 *
 * <p>Thread-safe; every method does file I/O and blocks (never on an event loop). {@link #close()}
 * removes the owner's directory and releases the lock.
 */
public final class Spool implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Spool.class.getName());
    private static final String LOCK = ".lock";
    /**
     * The lock files this JVM holds. POSIX locks are per process, and closing any descriptor of a
     * file drops them all, so a cleaner never opens one of these.
     */
    private static final Set<Path> OWNED = ConcurrentHashMap.newKeySet();

    private final Path directory;
    private final Path lockFile;
    private final FileChannel lockChannel;
    private final AtomicLong sequence = new AtomicLong();

    private Spool(Path directory, Path lockFile, FileChannel lockChannel) {
        this.directory = directory;
        this.lockFile = lockFile;
        this.lockChannel = lockChannel;
    }

    /**
     * Opens this process's spool for a service without a directory of its own: under
     * {@code berth-spool-<user>} in the JVM's temporary directory (per user, since one user cannot
     * clean another's files). That name is predictable in a directory everyone may write, so when
     * something else holds it (another user's directory, a link, a directory others may write:
     * a local user can make one first) a fresh private directory is used instead, with a warning;
     * nobody cleans what a killed worker leaves in that one. Blocking.
     *
     * @throws UncheckedIOException when no spool can be opened
     */
    public static Spool openDefault() {
        Path shared = Path.of(System.getProperty("java.io.tmpdir"), "berth-spool-" + System.getProperty("user.name"));
        try {
            return open(shared);
        } catch (UncheckedIOException e) {
            if (!(e.getCause() instanceof NotPrivateException)) {
                throw e;
            }
            LOG.log(Level.WARNING, e.getCause().getMessage() + ": spooling in a private directory instead");
            try {
                return open(Files.createTempDirectory("berth-spool-"));
            } catch (IOException again) {
                throw new UncheckedIOException("cannot make a private spool directory", again);
            }
        }
    }

    /**
     * Opens this process's spool under {@code root} (created if missing) and removes what dead
     * owners left there. The root must be a directory of this process's user that no one else
     * may write (not a link). Blocking.
     *
     * @throws UncheckedIOException when the root or the lock cannot be created, or the root is
     *     not private (its cause then says why)
     */
    public static Spool open(Path root) {
        Path absolute = root.toAbsolutePath().normalize();
        try {
            Files.createDirectories(absolute);
            checkPrivate(absolute);
            removeOrphans(absolute);
            for (int attempt = 0; ; attempt++) {
                String name = ProcessHandle.current().pid() + "-" + Long.toHexString(System.nanoTime())
                        + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 20));
                Path lockFile = absolute.resolve(name + LOCK);
                OWNED.add(lockFile);
                FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                FileLock lock = tryLock(channel);
                if (lock != null && Files.exists(lockFile)) {
                    Path directory = Files.createDirectory(absolute.resolve(name));
                    return new Spool(directory, lockFile, channel);
                }
                channel.close();
                OWNED.remove(lockFile);
                if (attempt == 10) {
                    throw new IOException("cannot take a spool lock under " + root);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the spool " + absolute, e);
        }
    }

    /** This owner's directory. */
    public Path directory() {
        return directory;
    }

    /**
     * A new, empty file in this owner's directory, which the caller deletes when done (or
     * {@link #close()} does).
     */
    public Path newFile() throws IOException {
        return Files.createFile(directory.resolve("msg-" + sequence.incrementAndGet() + ".tmp"));
    }

    /** Removes this owner's directory and files, then its lock. Idempotent; logs failures. */
    @Override
    public void close() {
        if (!lockChannel.isOpen()) {
            return;
        }
        try {
            deleteTree(directory);
            Files.deleteIfExists(lockFile);
            lockChannel.close();
            OWNED.remove(lockFile);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot remove the spool " + directory, e);
        }
    }

    /** A spool root that others could write or replace. */
    static final class NotPrivateException extends IOException {
        private static final long serialVersionUID = 1L;

        NotPrivateException(String message) {
            super(message);
        }
    }

    private static void checkPrivate(Path root) throws IOException {
        PosixFileAttributes attributes = Files.readAttributes(root, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        UserPrincipal me = root.getFileSystem().getUserPrincipalLookupService()
                .lookupPrincipalByName(System.getProperty("user.name"));
        Set<PosixFilePermission> permissions = attributes.permissions();
        if (!attributes.isDirectory() || !attributes.owner().equals(me) || permissions.contains(PosixFilePermission.GROUP_WRITE)
                || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
            throw new NotPrivateException("the spool root " + root + " is not a directory of " + me.getName()
                    + " that only it may write (" + attributes.owner().getName() + ", "
                    + PosixFilePermissions.toString(permissions) + (attributes.isSymbolicLink() ? ", a link" : "") + ")");
        }
    }

    private static void removeOrphans(Path root) throws IOException {
        try (DirectoryStream<Path> locks = Files.newDirectoryStream(root, "*" + LOCK)) {
            for (Path lockFile : locks) {
                try {
                    removeIfOrphan(lockFile);
                } catch (IOException e) {
                    // another user's spool, say: not ours to clean, and no reason not to start
                    LOG.log(Level.WARNING, "cannot clean " + lockFile + ": " + e);
                }
            }
        }
    }

    private static void removeIfOrphan(Path lockFile) throws IOException {
        if (OWNED.contains(lockFile)) {
            return;
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            if (tryLock(channel) == null) {
                return;
            }
            String name = lockFile.getFileName().toString();
            Path directory = lockFile.resolveSibling(name.substring(0, name.length() - LOCK.length()));
            int removed = deleteTree(directory);
            Files.deleteIfExists(lockFile);
            if (removed > 0) {
                LOG.log(Level.INFO, "removed " + removed + " spool files left by a dead worker in " + directory);
            }
        } catch (NoSuchFileException gone) {
            // another cleaner took it first
        }
    }

    /** The lock, or null when another process (or another channel of this one) holds it. */
    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            return null;
        }
    }

    /** Deletes a directory of plain files; returns how many files there were. */
    private static int deleteTree(Path directory) throws IOException {
        int files = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path entry : entries) {
                Files.deleteIfExists(entry);
                files++;
            }
        } catch (NoSuchFileException gone) {
            return 0;
        }
        Files.deleteIfExists(directory);
        return files;
    }
}
