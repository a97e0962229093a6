package dev.berth.posix;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * Points the process's standard output and error (fds 1 and 2) at a log file, so that everything
 * the JVM and its libraries print lands there: opened for appending and {@code dup2}'d onto both,
 * as nginx does with its error log. Calling it again after the file was renamed (log rotation)
 * starts a new file without restarting anything. Thread-safe; blocks for the open only.
 */
public final class StandardStreams {

    private StandardStreams() {
    }

    /**
     * Opens (creates, mode 0640) {@code file} for appending and makes it fds 1 and 2.
     *
     * @throws PosixException when it cannot be opened
     */
    public static void redirect(Path file) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.callState(arena);
            int fd = (int) Native.Open.HANDLE.invokeExact(state, arena.allocateFrom(file.toString()),
                    Native.O_WRONLY | Native.O_APPEND | Native.O_CREAT | Native.O_CLOEXEC, 0640);
            if (fd < 0) {
                throw Native.failure("open " + file, state);
            }
            try {
                for (int target : new int[] {1, 2}) {
                    if ((int) Native.Dup2.HANDLE.invokeExact(state, fd, target) < 0) {
                        throw Native.failure("dup2", state);
                    }
                }
            } finally {
                FileDescriptors.close(fd);
            }
        } catch (Throwable e) {
            throw Native.unexpected(e);
        }
    }
}
