package dev.berth.posix;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * An {@code eventfd(2)}: a descriptor that a thread blocked in {@link Poll} on it (among others)
 * can be woken through, so that it may wait without a timeout and still be stopped. {@link #wake}
 * from any thread, any number of times; {@link #close} once, after the waiting thread is done.
 */
public final class WakeFd implements AutoCloseable {

    private static final int EFD_CLOEXEC = 02000000;
    private static final int EFD_NONBLOCK = 04000;

    private final int fd;

    private WakeFd(int fd) {
        this.fd = fd;
    }

    /**
     * A new, unwoken descriptor.
     *
     * @throws PosixException when the kernel refuses (EMFILE)
     */
    public static WakeFd create() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.callState(arena);
            int fd = (int) Native.Eventfd.HANDLE.invokeExact(state, 0, EFD_CLOEXEC | EFD_NONBLOCK);
            if (fd < 0) {
                throw Native.failure("eventfd", state);
            }
            return new WakeFd(fd);
        } catch (Throwable e) {
            throw Native.unexpected(e);
        }
    }

    /** The descriptor to poll for readability; still owned by this object. */
    public int fd() {
        return fd;
    }

    /** Makes it readable until {@link #clear}, waking a thread that polls it. Never blocks. */
    public void wake() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.callState(arena);
            MemorySegment one = arena.allocate(JAVA_LONG);
            one.set(JAVA_LONG, 0, 1L);
            long n = (long) Native.Write.HANDLE.invokeExact(state, fd, one, 8L);
            if (n < 0 && Native.errno(state) != Native.EAGAIN) {
                throw Native.failure("write(eventfd)", state);
            }
        } catch (Throwable e) {
            throw Native.unexpected(e);
        }
    }

    /** Makes it unreadable again. Never blocks. */
    public void clear() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.callState(arena);
            MemorySegment count = arena.allocate(JAVA_LONG);
            long n = (long) Native.Read.HANDLE.invokeExact(state, fd, count, 8L);
            if (n < 0 && Native.errno(state) != Native.EAGAIN) {
                throw Native.failure("read(eventfd)", state);
            }
        } catch (Throwable e) {
            throw Native.unexpected(e);
        }
    }

    /** Closes the descriptor. */
    @Override
    public void close() {
        FileDescriptors.close(fd);
    }
}
