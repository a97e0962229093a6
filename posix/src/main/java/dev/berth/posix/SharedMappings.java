package dev.berth.posix;

import java.io.File;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.OptionalInt;

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
    /** Linked on first use: most processes map through a FileChannel and never call these (docs/adr/0032). */
    private static final class Downcalls {
        private static final Linker LINKER = Linker.nativeLinker();
        static final MethodHandle MMAP = LINKER.downcallHandle(LINKER.defaultLookup().find("mmap").orElseThrow(),
                FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG),
                Linker.Option.captureCallState("errno"));
        static final MethodHandle MUNMAP = LINKER.downcallHandle(LINKER.defaultLookup().find("munmap").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
        static final MethodHandle LSEEK = LINKER.downcallHandle(LINKER.defaultLookup().find("lseek").orElseThrow(),
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT), Linker.Option.captureCallState("errno"));
    }

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
            long length = (long) Downcalls.LSEEK.invokeExact(state, fd, 0L, SEEK_END);
            if (length < 0) {
                throw Native.failure("lseek(" + fd + ")", state);
            }
            MemorySegment at = (MemorySegment) Downcalls.MMAP.invokeExact(state, MemorySegment.NULL, length,
                    PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0L);
            if (at.address() == -1L) {
                throw Native.failure("mmap(" + fd + ")", state);
            }
            return at.reinterpret(length, arena, segment -> unmap(segment, length));
        } catch (Throwable e) {
            throw Native.unexpected(e);
        }
    }

    /** The system property that names a child's inherited files: {@code PATH=FD} entries, separated by the path separator. */
    public static final String INHERITED = "berth.inherited";
    private static final String DEV_FD = "/dev/fd/";

    /**
     * Maps a whole file (read-write, shared) until {@code arena} closes: through the descriptor the
     * process inherited for it when it has one ({@code /dev/fd/N}, or {@code file} named in the
     * {@value #INHERITED} property), else by opening it. A tenant group's worker may not open the
     * master's files, so the master opens them for it (docs/adr/0013).
     *
     * @throws IOException when the file cannot be opened or mapped
     */
    public static MemorySegment map(Path file, Arena arena) throws IOException {
        OptionalInt fd = inherited(file, System.getProperty(INHERITED, ""));
        if (fd.isPresent()) {
            return map(fd.getAsInt(), arena);
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            return channel.map(FileChannel.MapMode.READ_WRITE, 0, channel.size(), arena);
        }
    }

    /** The inherited descriptor of {@code file}, by its name or by the {@value #INHERITED} entries given. */
    static OptionalInt inherited(Path file, String entries) {
        String name = file.toString();
        if (name.startsWith(DEV_FD) && name.substring(DEV_FD.length()).matches("[0-9]+")) {
            return OptionalInt.of(Integer.parseInt(name.substring(DEV_FD.length())));
        }
        Path absolute = file.toAbsolutePath().normalize();
        for (String entry : entries.split(File.pathSeparator)) {
            int at = entry.lastIndexOf('=');
            if (at > 0 && Path.of(entry.substring(0, at)).toAbsolutePath().normalize().equals(absolute)) {
                return OptionalInt.of(Integer.parseInt(entry.substring(at + 1)));
            }
        }
        return OptionalInt.empty();
    }

    private static void unmap(MemorySegment segment, long length) {
        try {
            int ignored = (int) Downcalls.MUNMAP.invokeExact(segment, length);
        } catch (Throwable e) {
            throw Native.unexpected(e);
        }
    }
}
