package dev.berth.scan;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A whole RFC 5322 message as scanners see it: header and body, CRLF line ends, already
 * dot-unstuffed. Each scanner of a chain calls {@link #open()} once, so it may be called many
 * times, from any thread; every call returns a fresh stream positioned at the first byte.
 *
 * <p>Implementations are immutable and thread-safe. The content is owned by the caller, who must
 * keep a file-backed message in place until the scan returns.
 */
public interface MessageContent {

    /** The length in bytes; never negative. Does no I/O for the built-in implementations. */
    long size();

    /**
     * A new stream over the whole message, which the caller closes. May block on file I/O.
     *
     * @throws IOException if the content can no longer be read (a file deleted, say)
     */
    InputStream open() throws IOException;

    /** A message held in memory; the array is not copied, so the caller must not change it. */
    static MessageContent of(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        return new MessageContent() {
            @Override
            public long size() {
                return bytes.length;
            }

            @Override
            public InputStream open() {
                return new ByteArrayInputStream(bytes);
            }
        };
    }

    /**
     * A message in a file, whose size is read now (one {@code stat}); the file must not change
     * while it is scanned.
     *
     * @throws UncheckedIOException if the file's size cannot be read
     */
    static MessageContent of(Path file) {
        Objects.requireNonNull(file, "file");
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the size of " + file, e);
        }
        return new MessageContent() {
            @Override
            public long size() {
                return size;
            }

            @Override
            public InputStream open() throws IOException {
                return Files.newInputStream(file);
            }
        };
    }
}
