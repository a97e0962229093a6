package dev.berth.posix;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/**
 * The service manager's notification socket ({@code sd_notify(3)}): one datagram per message to
 * the {@code AF_UNIX} address that systemd puts in {@code NOTIFY_SOCKET}, a path or, with a
 * leading {@code @}, an abstract name. Thread-safe; a send never waits for the receiver.
 */
public final class NotifySocket {

    private NotifySocket() {
    }

    /**
     * Sends {@code message} (such as {@code "READY=1\nSTATUS=serving"}) as one datagram to {@code
     * address}.
     *
     * @throws PosixException when the socket cannot be made or the datagram is refused
     * @throws IllegalArgumentException when the address is empty or too long
     */
    public static void send(String address, String message) {
        byte[] path = address.getBytes(StandardCharsets.UTF_8);
        if (path.length == 0 || path.length > 107) {
            throw new IllegalArgumentException("NOTIFY_SOCKET must be 1 to 107 bytes: '" + address + "'");
        }
        if (path[0] == '@') {
            path[0] = 0;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.callState(arena);
            int fd = (int) Native.Socket.HANDLE.invokeExact(state, Native.AF_UNIX, Native.SOCK_DGRAM | Native.SOCK_CLOEXEC, 0);
            if (fd < 0) {
                throw Native.failure("socket", state);
            }
            try {
                MemorySegment sockaddr = arena.allocate(110);
                sockaddr.set(java.lang.foreign.ValueLayout.JAVA_SHORT, 0, (short) Native.AF_UNIX);
                MemorySegment.copy(MemorySegment.ofArray(path), 0, sockaddr, 2, path.length);
                // an abstract name's length counts exactly its bytes; a path also takes its NUL
                int length = 2 + path.length + (path[0] == 0 ? 0 : 1);
                byte[] text = message.getBytes(StandardCharsets.UTF_8);
                MemorySegment buffer = arena.allocate(Math.max(1, text.length));
                MemorySegment.copy(MemorySegment.ofArray(text), 0, buffer, 0, text.length);
                long sent = (long) Native.Sendto.HANDLE.invokeExact(state, fd, buffer, (long) text.length,
                        Native.MSG_NOSIGNAL, sockaddr, length);
                if (sent < 0) {
                    throw Native.failure("sendto " + address, state);
                }
            } finally {
                FileDescriptors.close(fd);
            }
        } catch (Throwable e) {
            throw Native.unexpected(e);
        }
    }
}
