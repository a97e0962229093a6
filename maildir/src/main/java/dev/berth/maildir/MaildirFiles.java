package dev.berth.maildir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** File-system steps shared by delivery and reading: durable directory creation and fsync. */
final class MaildirFiles {

    private MaildirFiles() {
    }

    /** Creates {@code dir} and its missing parents, fsyncing each parent that got an entry. */
    static void ensureDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Path parent = dir.toAbsolutePath().getParent();
        if (parent != null) {
            ensureDirectory(parent);
        }
        try {
            Files.createDirectory(dir);
        } catch (FileAlreadyExistsException e) {
            if (Files.isDirectory(dir)) {
                return;
            }
            throw new FileAlreadyExistsException(dir.toString(), null, "exists and is not a directory");
        }
        if (parent != null) {
            fsync(parent);
        }
    }

    /** Creates {@code <mailbox>/{tmp,new,cur}} durably. */
    static void ensureMaildir(Path mailbox) throws IOException {
        ensureDirectory(mailbox.resolve("tmp"));
        ensureDirectory(mailbox.resolve("new"));
        ensureDirectory(mailbox.resolve("cur"));
    }

    /** Flushes a directory's entries (or a file's data) to the disk. */
    static void fsync(Path path) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}
