package dev.berth.maildir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The bytes of a message to deliver, stored exactly as given (CRLF line endings stay CRLF).
 * {@link #writeTo} may be called once per delivery target, so it must be repeatable.
 */
public interface MessageBody {

    /** The number of octets {@link #writeTo} writes. */
    long size();

    /**
     * Writes all the bytes to {@code out}; does not close it. Blocking; called once per target,
     * on the delivering thread.
     *
     * @throws IOException if reading the source or writing {@code out} fails
     */
    void writeTo(OutputStream out) throws IOException;

    /** A body held in memory; the array is not copied and must not change afterwards. */
    static MessageBody of(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        return new MessageBody() {
            @Override
            public long size() {
                return bytes.length;
            }

            @Override
            public void writeTo(OutputStream out) throws IOException {
                out.write(bytes);
            }
        };
    }

    /**
     * A body spooled in a file, read on each {@link #writeTo}; the caller owns (and deletes) the
     * file, which must not change until delivery is over. {@link #size()} reads the file's size
     * and throws {@link java.io.UncheckedIOException} if it cannot.
     */
    static MessageBody of(Path file) {
        Objects.requireNonNull(file, "file");
        return new MessageBody() {
            @Override
            public long size() {
                try {
                    return Files.size(file);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }

            @Override
            public void writeTo(OutputStream out) throws IOException {
                Files.copy(file, out);
            }
        };
    }
}
