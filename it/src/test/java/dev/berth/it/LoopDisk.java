package dev.berth.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An ext4 file system in an image file, mounted through a loop device, for the power-cut test.
 * What the file system sent to the loop device is in the image file (through the host's page
 * cache, readable at once); what it still holds as dirty pages of its own is not. So a copy of the
 * image taken while no process writes is the disk as a power cut would leave it: every write that
 * an fsync or the journal pushed out is there, every other one is gone. Needs root (mount).
 * {@link #close} unmounts everything this disk mounted, the copies included.
 */
final class LoopDisk implements AutoCloseable {

    private final Path image;
    private final Path mountPoint;
    private final List<Path> mounted = new ArrayList<>();

    private LoopDisk(Path image, Path mountPoint) {
        this.image = image;
        this.mountPoint = mountPoint;
    }

    /** Makes a {@code megabytes} MiB ext4 image in {@code dir} and mounts it at dir/disk. */
    static LoopDisk create(Path dir, int megabytes) throws IOException {
        Path image = dir.resolve("disk.img");
        try (var file = new java.io.RandomAccessFile(image.toFile(), "rw")) {
            file.setLength((long) megabytes << 20);
        }
        run(dir, "mkfs.ext4", "-q", "-F", image.toString());
        LoopDisk disk = new LoopDisk(image, Files.createDirectories(dir.resolve("disk")));
        disk.mount(image, disk.mountPoint);
        return disk;
    }

    Path root() {
        return mountPoint;
    }

    /**
     * The disk after a power cut now: a copy of the image, mounted (its journal replayed, as a
     * reboot would) at {@code at}. The caller makes sure nothing writes during the copy.
     */
    Path cut(Path at) throws IOException {
        Path copy = image.resolveSibling("after-cut.img");
        Files.copy(image, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.createDirectories(at);
        mount(copy, at);
        return at;
    }

    private void mount(Path file, Path at) throws IOException {
        run(at.getParent(), "mount", "-o", "loop", file.toString(), at.toString());
        mounted.add(at);
    }

    @Override
    public void close() throws IOException {
        IOException failed = null;
        for (Path at : mounted.reversed()) {
            try {
                run(at.getParent(), "umount", "-l", at.toString());
            } catch (IOException | AssertionError e) {
                failed = failed == null ? new IOException("cannot unmount " + at, e) : failed;
            }
        }
        if (failed != null) {
            throw failed;
        }
    }

    private static void run(Path dir, String... argv) throws IOException {
        Command done = Command.run(dir, argv);
        if (done.status() != 0) {
            throw new AssertionError(String.join(" ", argv) + ": " + done.output());
        }
    }
}
