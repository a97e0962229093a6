package dev.berth.posix;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Maps an inherited file descriptor shared and writable, for a process that holds the descriptor
 * but may not open the file by its path: a tenant group's worker gets the scoreboard as descriptor
 * 3, opened by the master before the worker dropped to its own user (docs/adr/0013).
 * Thread-safe; nothing blocks.
 */
public final class SharedMappings {

    private static final int PROT_READ = 1;
    private static final int PROT_WRITE = 2;
    private static final int MAP_SHARED = 1;
    private static final int SEEK_END = 2;
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle MMAP = LINKER.downcallHandle(LINKER.defaultLookup().find("mmap").orElseThrow(),
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG),
            Linker.Option.captureCallState("errno"));
    private static final MethodHandle MUNMAP = LINKER.downcallHandle(LINKER.defaultLookup().find("munmap").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle LSEEK = LINKER.downcallHandle(LINKER.defaultLookup().find("lseek").orElseThrow(),
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT), Linker.Option.captureCallState("errno"));

    private SharedMappings() {
    }

    /**
     * Maps the whole file behind {@code fd} (read-write, shared) until {@code arena} closes, which
     * unmaps it. The descriptor stays open.
     *
     * @throws PosixException when the descriptor cannot be sized or mapped (not open read-write)
     */
    public static MemorySegment map(int fd, Arena arena) {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment state = Native.callState(call);
            long length = (long) LSEEK.invokeExact(state, fd, 0L, SEEK_END);
            if (length < 0) {
                throw Native.failure("lseek(" + fd + ")", state);
            }
            MemorySegment at = (MemorySegment) MMAP.invokeExact(state, MemorySegment.NULL, length,
                    PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0L);
            if (at.address() == -1L) {
                throw Native.failure("mmap(" + fd + ")", state);
            }
            return at.reinterpret(length, arena, segment -> unmap(segment, length));
        } catch (Throwable e) {
            throw Native.unexpected(e);
        }
    }

    private static void unmap(MemorySegment segment, long length) {
        try {
            int ignored = (int) MUNMAP.invokeExact(segment, length);
        } catch (Throwable e) {
            throw Native.unexpected(e);
        }
    }
}
