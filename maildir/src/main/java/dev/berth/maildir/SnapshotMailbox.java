package dev.berth.maildir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** A mailbox as listed once from {@code cur/}; see {@link MaildirMailbox}. Immutable. */
final class SnapshotMailbox implements MaildirMailbox {

    private final Path directory;
    private final List<MaildirMessage> messages;

    private SnapshotMailbox(Path directory, List<MaildirMessage> messages) {
        this.directory = directory;
        this.messages = List.copyOf(messages);
    }

    /** Files in tmp/ older than this are left over from crashed deliveries (the Maildir rule). */
    static final Duration STALE_TMP = Duration.ofHours(36);

    static MaildirMailbox open(Path mailbox, Instant now) throws IOException {
        Objects.requireNonNull(mailbox, "mailbox");
        if (!Files.isDirectory(mailbox)) {
            return new SnapshotMailbox(mailbox, List.of());
        }
        removeStaleTmp(mailbox.resolve("tmp"), now.minus(STALE_TMP));
        Path cur = mailbox.resolve("cur");
        moveNewToCur(mailbox.resolve("new"), cur);
        if (!Files.isDirectory(cur)) {
            return new SnapshotMailbox(mailbox, List.of());
        }
        List<MaildirMessage> list = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(cur)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (!name.startsWith(".")) {
                    message(f, name).ifPresent(list::add);
                }
            }
        }
        list.sort(Comparator.comparing((MaildirMessage m) -> m.file().getFileName().toString(), UniqueNames::compare));
        return new SnapshotMailbox(mailbox, list);
    }

    private static void removeStaleTmp(Path tmp, Instant before) throws IOException {
        if (!Files.isDirectory(tmp)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(tmp)) {
            for (Path f : files) {
                try {
                    if (Files.isRegularFile(f) && Files.getLastModifiedTime(f).toInstant().isBefore(before)) {
                        Files.deleteIfExists(f);
                    }
                } catch (NoSuchFileException e) {
                    // removed meanwhile by another session
                }
            }
        }
    }

    private static void moveNewToCur(Path newDir, Path cur) throws IOException {
        if (!Files.isDirectory(newDir)) {
            return;
        }
        boolean moved = false;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(newDir)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (name.startsWith(".")) {
                    continue;
                }
                if (!moved) {
                    MaildirFiles.ensureDirectory(cur);
                }
                try {
                    Files.move(f, cur.resolve(name.contains(":2,") ? name : name + ":2,"), StandardCopyOption.ATOMIC_MOVE);
                    moved = true;
                } catch (NoSuchFileException e) {
                    // another session moved it first: it is in cur/ now
                }
            }
        }
        if (moved) {
            MaildirFiles.fsync(cur);
            MaildirFiles.fsync(newDir);
        }
    }

    private static java.util.Optional<MaildirMessage> message(Path file, String name) throws IOException {
        int colon = name.indexOf(':');
        String base = colon < 0 ? name : name.substring(0, colon);
        String[] fields = base.split(",");
        long size = -1;
        for (int i = 1; i < fields.length && size < 0; i++) {
            if (fields[i].startsWith("S=")) {
                size = parseSize(fields[i].substring(2));
            }
        }
        if (size < 0) {
            try {
                size = Files.size(file);
            } catch (NoSuchFileException e) {
                return java.util.Optional.empty();
            }
        }
        return fields[0].isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(new MaildirMessage(fields[0], size, file));
    }

    private static long parseSize(String digits) {
        if (digits.isEmpty() || digits.length() > 18 || !digits.chars().allMatch(Character::isDigit)) {
            return -1;
        }
        return Long.parseLong(digits);
    }

    static void deleteFiles(Collection<MaildirMessage> messages) throws IOException {
        Set<Path> dirs = new LinkedHashSet<>();
        for (MaildirMessage m : messages) {
            Files.deleteIfExists(m.file());
            Path parent = m.file().toAbsolutePath().getParent();
            if (parent != null) {
                dirs.add(parent);
            }
        }
        for (Path dir : dirs) {
            MaildirFiles.fsync(dir);
        }
    }

    @Override
    public Path directory() {
        return directory;
    }

    @Override
    public List<MaildirMessage> messages() {
        return messages;
    }

    @Override
    public InputStream read(MaildirMessage message) throws IOException {
        return Files.newInputStream(Objects.requireNonNull(message, "message").file());
    }

    @Override
    public void delete(Collection<MaildirMessage> messages) throws IOException {
        deleteFiles(Objects.requireNonNull(messages, "messages"));
    }
}
