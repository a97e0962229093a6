package dev.berth.posix;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/** {@code poll(2)} for readability of a few descriptors. Blocks the calling thread. */
public final class Poll {

    private Poll() {
    }

    /**
     * Waits until at least one descriptor is readable (a listening socket: has a connection).
     *
     * @param fds the descriptors
     * @param timeoutMillis the longest wait
     * @return one flag per descriptor, true where it is readable; all false on timeout or EINTR
     * @throws PosixException on a failure of poll itself
     */
    public static boolean[] readable(int[] fds, int timeoutMillis) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.callState(arena);
            MemorySegment pollfds = arena.allocate(8L * fds.length, 4);
            for (int i = 0; i < fds.length; i++) {
                pollfds.set(JAVA_INT, 8L * i, fds[i]);
                pollfds.set(JAVA_SHORT, 8L * i + 4, Native.POLLIN);
            }
            int n = (int) Native.Poll.HANDLE.invokeExact(state, pollfds, (long) fds.length, timeoutMillis);
            boolean[] ready = new boolean[fds.length];
            if (n < 0 && Native.errno(state) != Native.EINTR) {
                throw Native.failure("poll", state);
            }
            for (int i = 0; n > 0 && i < fds.length; i++) {
                ready[i] = (pollfds.get(JAVA_SHORT, 8L * i + 6) & Native.POLLIN) != 0;
            }
            return ready;
        } catch (Throwable e) {
            throw Native.unexpected(e);
        }
    }
}
