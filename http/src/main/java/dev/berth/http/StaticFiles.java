package dev.berth.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;

/**
 * Maps request targets to files under a root directory. A target never reaches outside the root:
 * {@code ..} segments are refused, and the real path (symlinks resolved) must lie under the
 * root's real path.
 *
 * <p>Thread: immutable, any thread. Blocking: {@link #lookup} reads file metadata only (real path,
 * attributes), which the event loop may afford; it opens no file.
 */
final class StaticFiles {

    private final Path root;
    private final String index;

    private StaticFiles(Path root, String index) {
        this.root = root;
        this.index = index;
    }

    /**
     * Resolves the root once. Blocks on the file system.
     *
     * @throws UncheckedIOException when the root does not exist or is not a directory
     */
    static StaticFiles open(Path root, String index) {
        Path real;
        try {
            real = root.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("http root " + root + ": cannot be resolved: " + e, e);
        }
        if (!Files.isDirectory(real)) {
            throw new UncheckedIOException(new IOException("http root " + root + ": not a directory"));
        }
        return new StaticFiles(real, index);
    }

    /** What the URI of a request names. */
    FileLookup lookup(String uri) {
        Optional<RequestTarget> parsed = RequestTarget.parse(uri);
        Optional<String> decoded = parsed.flatMap(RequestTarget::decodedPath);
        if (decoded.isEmpty()) {
            return new FileLookup.Malformed();
        }
        try {
            return lookup(parsed.get(), decoded.get());
        } catch (IOException | InvalidPathException | SecurityException e) {
            return new FileLookup.NotFound();
        }
    }

    private FileLookup lookup(RequestTarget target, String path) throws IOException {
        Path candidate = root;
        String name = "";
        for (String segment : path.split("/")) {
            if (segment.equals("..") || segment.indexOf('\0') >= 0) {
                return new FileLookup.NotFound();
            }
            if (!segment.isEmpty() && !segment.equals(".")) {
                candidate = candidate.resolve(segment);
                name = segment;
            }
        }
        Path real = candidate.toRealPath();
        if (!real.startsWith(root)) {
            return new FileLookup.NotFound();
        }
        BasicFileAttributes attributes = Files.readAttributes(real, BasicFileAttributes.class);
        if (attributes.isDirectory()) {
            if (!path.endsWith("/")) {
                return target.isHeaderSafe()
                        ? new FileLookup.Redirect(target.rawPath() + "/" + target.rawQuery())
                        : new FileLookup.NotFound();
            }
            real = real.resolve(index).toRealPath();
            name = index;
            if (!real.startsWith(root)) {
                return new FileLookup.NotFound();
            }
            attributes = Files.readAttributes(real, BasicFileAttributes.class);
        }
        if (!attributes.isRegularFile() || !Files.isReadable(real)) {
            return new FileLookup.NotFound();
        }
        return new FileLookup.Found(real.toFile(), MediaTypes.of(name), attributes.size(),
                attributes.lastModifiedTime().toMillis());
    }
}
