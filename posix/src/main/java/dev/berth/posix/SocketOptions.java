package dev.berth.posix;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/** {@code setsockopt} for the options berth sets. Thread-safe; nothing blocks. */
final class SocketOptions {

    private SocketOptions() {
    }

    /** Sets an int-valued option; {@code name} only labels a failure. */
    static void setInt(int fd, int level, int option, int value, String name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.callState(arena);
            MemorySegment v = arena.allocate(JAVA_INT);
            v.set(JAVA_INT, 0, value);
            if ((int) Native.Setsockopt.HANDLE.invokeExact(state, fd, level, option, v, 4) < 0) {
                throw Native.failure("setsockopt(" + name + ")", state);
            }
        } catch (Throwable e) {
            throw Native.unexpected(e);
        }
    }

    /** SO_RCVTIMEO: how long a blocking receive or accept waits before failing with EAGAIN. */
    static void receiveTimeout(int fd, Duration timeout) {
        timeout(fd, Native.SO_RCVTIMEO, timeout);
    }

    /** SO_RCVTIMEO or SO_SNDTIMEO: how long a blocking call waits before failing with EAGAIN. */
    static void timeout(int fd, int option, Duration timeout) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.callState(arena);
            MemorySegment tv = arena.allocate(16, 8);
            tv.set(JAVA_LONG, 0, timeout.toSeconds());
            tv.set(JAVA_LONG, 8, timeout.toNanosPart() / 1000L);
            if ((int) Native.Setsockopt.HANDLE.invokeExact(state, fd, Native.SOL_SOCKET, option, tv, 16) < 0) {
                throw Native.failure("setsockopt(" + (option == Native.SO_RCVTIMEO ? "SO_RCVTIMEO" : "SO_SNDTIMEO")
                        + ")", state);
            }
        } catch (Throwable e) {
            throw Native.unexpected(e);
        }
    }
}
