package dev.berth.posix;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

/**
 * {@code epoll_ctl(2)} on an epoll instance, for the registrations its owner cannot make: Netty
 * registers a descriptor without {@code EPOLLEXCLUSIVE}, and the kernel only takes that flag at
 * {@code EPOLL_CTL_ADD}, so the worker deletes Netty's registration of a shared listening socket and
 * adds it again, exclusive, with the same data word (the descriptor), which is how Netty finds its
 * handle. Plus {@link #create} and {@link #await} for tests and threads that own their own epoll.
 *
 * <p>{@code struct epoll_event} is packed on x86_64 (12 bytes: u32 events, u64 data) and naturally
 * aligned elsewhere (16 bytes). Every method is thread-safe; only {@link #await} blocks.
 */
public final class Epoll {

    /** Readable; for a listening socket: a connection is waiting. */
    public static final int EPOLLIN = 0x001;
    /** Wake one waiting epoll instance of those that registered the descriptor this way, not all. */
    public static final int EPOLLEXCLUSIVE = 1 << 28;

    private static final int CTL_ADD = 1;
    private static final int CTL_DEL = 2;
    private static final boolean PACKED = "amd64".equals(System.getProperty("os.arch"))
            || "x86_64".equals(System.getProperty("os.arch"));
    private static final long EVENT_SIZE = PACKED ? 12 : 16;
    private static final long DATA_OFFSET = PACKED ? 4 : 8;
    private static final int EPOLL_CLOEXEC = 02000000;

    private Epoll() {
    }

    /**
     * A new epoll instance (close-on-exec), owned by the caller.
     *
     * @throws PosixException when the kernel refuses (EMFILE)
     */
    public static int create() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.callState(arena);
            int epfd = (int) Native.EpollCreate1.HANDLE.invokeExact(state, EPOLL_CLOEXEC);
            if (epfd < 0) {
                throw Native.failure("epoll_create1", state);
            }
            return epfd;
        } catch (Throwable e) {
            throw Native.unexpected(e);
        }
    }

    /**
     * Adds {@code fd} to {@code epfd} for {@code events}, with {@code fd} as the event's data.
     *
     * @throws PosixException for EEXIST (already there), EINVAL (EPOLLEXCLUSIVE with a flag it
     *     does not combine with), EBADF
     */
    public static void add(int epfd, int fd, int events) {
        ctl(CTL_ADD, epfd, fd, events);
    }

    /**
     * Removes {@code fd} from {@code epfd}.
     *
     * @throws PosixException for ENOENT (not there), EBADF
     */
    public static void delete(int epfd, int fd) {
        ctl(CTL_DEL, epfd, fd, 0);
    }

    private static void ctl(int op, int epfd, int fd, int events) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.callState(arena);
            MemorySegment event = arena.allocate(EVENT_SIZE, 8);
            event.set(JAVA_INT_UNALIGNED, 0, events);
            event.set(JAVA_LONG_UNALIGNED, DATA_OFFSET, fd);
            if ((int) Native.EpollCtl.HANDLE.invokeExact(state, epfd, op, fd, event) < 0) {
                throw Native.failure("epoll_ctl(" + (op == CTL_ADD ? "ADD" : "DEL") + ", " + fd + ")", state);
            }
        } catch (Throwable e) {
            throw Native.unexpected(e);
        }
    }

    /**
     * Waits up to {@code timeoutMillis} (-1: for ever) for events on {@code epfd}.
     *
     * @return the data words (descriptors) of the ready registrations, at most {@code max}; empty on
     *     timeout or EINTR
     */
    public static int[] await(int epfd, int max, int timeoutMillis) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.callState(arena);
            MemorySegment events = arena.allocate(EVENT_SIZE * max, 8);
            int n = (int) Native.EpollWait.HANDLE.invokeExact(state, epfd, events, max, timeoutMillis);
            if (n < 0) {
                if (Native.errno(state) == Native.EINTR) {
                    return new int[0];
                }
                throw Native.failure("epoll_wait", state);
            }
            int[] fds = new int[n];
            for (int i = 0; i < n; i++) {
                fds[i] = (int) events.get(JAVA_LONG_UNALIGNED, EVENT_SIZE * i + DATA_OFFSET);
            }
            return fds;
        } catch (Throwable e) {
            throw Native.unexpected(e);
        }
    }
}
