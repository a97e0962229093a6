package dev.berth.scoreboard;

import static dev.berth.scoreboard.ClientTableDescriptor.ENTRY_COUNT_OFFSET;
import static dev.berth.scoreboard.ClientTableDescriptor.ENTRY_LENGTH;
import static dev.berth.scoreboard.ClientTableDescriptor.ENTRY_LENGTH_OFFSET;
import static dev.berth.scoreboard.ClientTableDescriptor.HEADER_LENGTH;
import static dev.berth.scoreboard.ClientTableDescriptor.KEY_OFFSET;
import static dev.berth.scoreboard.ClientTableDescriptor.MAGIC;
import static dev.berth.scoreboard.ClientTableDescriptor.MAGIC_OFFSET;
import static dev.berth.scoreboard.ClientTableDescriptor.PROBES;
import static dev.berth.scoreboard.ClientTableDescriptor.STATE_OFFSET;
import static dev.berth.scoreboard.ClientTableDescriptor.VERSION;
import static dev.berth.scoreboard.ClientTableDescriptor.VERSION_OFFSET;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.berth.posix.SharedMappings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** A client table over a shared file mapping (or process memory); see {@link ClientTableDescriptor}. */
final class MappedClientTable implements ClientTable {

    private static final VarHandle LONG = JAVA_LONG.varHandle();

    private final Arena arena;
    private final MemorySegment memory;
    private final int mask;

    private MappedClientTable(Arena arena, MemorySegment memory, int entries) {
        this.arena = arena;
        this.memory = memory;
        this.mask = entries - 1;
    }

    static MappedClientTable create(Path file, int entries) {
        check(entries);
        Arena arena = Arena.ofShared();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            return initialised(arena, channel.map(FileChannel.MapMode.READ_WRITE, 0, ClientTableDescriptor.fileLength(entries), arena), entries);
        } catch (IOException e) {
            arena.close();
            throw new UncheckedIOException("cannot create the client table " + file, e);
        }
    }

    static MappedClientTable inMemory(int entries) {
        check(entries);
        Arena arena = Arena.ofShared();
        return initialised(arena, arena.allocate(ClientTableDescriptor.fileLength(entries), 64), entries);
    }

    private static MappedClientTable initialised(Arena arena, MemorySegment memory, int entries) {
        memory.fill((byte) 0);
        memory.set(JAVA_INT, VERSION_OFFSET, VERSION);
        memory.set(JAVA_INT, ENTRY_LENGTH_OFFSET, ENTRY_LENGTH);
        memory.set(JAVA_INT, ENTRY_COUNT_OFFSET, entries);
        LONG.setRelease(memory, (long) MAGIC_OFFSET, MAGIC);
        return new MappedClientTable(arena, memory, entries);
    }

    static MappedClientTable open(Path file) {
        Arena arena = Arena.ofShared();
        try {
            // a tenant group's worker gets the file open from the master (SharedMappings.INHERITED)
            MemorySegment memory = SharedMappings.map(file, arena);
            if (memory.byteSize() < HEADER_LENGTH || (long) LONG.getAcquire(memory, (long) MAGIC_OFFSET) != MAGIC
                    || memory.get(JAVA_INT, VERSION_OFFSET) != VERSION || memory.get(JAVA_INT, ENTRY_LENGTH_OFFSET) != ENTRY_LENGTH) {
                throw new IllegalStateException(file + " is not a version " + VERSION + " client table");
            }
            int entries = memory.get(JAVA_INT, ENTRY_COUNT_OFFSET);
            if (Integer.bitCount(entries) != 1 || memory.byteSize() < ClientTableDescriptor.fileLength(entries)) {
                throw new IllegalStateException(file + " has a bad entry count " + entries);
            }
            return new MappedClientTable(arena, memory, entries);
        } catch (IOException e) {
            arena.close();
            throw new UncheckedIOException("cannot open the client table " + file, e);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    private static void check(int entries) {
        if (Integer.bitCount(entries) != 1 || entries < PROBES) {
            throw new IllegalArgumentException("entries: not a power of two of at least " + PROBES + ": " + entries);
        }
    }

    @Override
    public int add(long key, long now, long window) {
        long entry = claim(key, now);
        while (true) {
            long state = (long) LONG.getAcquire(memory, entry + STATE_OFFSET);
            long start = state >>> 32;
            int count = (int) state;
            long next = state == 0 || now - start >= window ? now << 32 | 1
                    : start << 32 | (count == Integer.MAX_VALUE ? count : count + 1);
            if (LONG.compareAndSet(memory, entry + STATE_OFFSET, state, next)) {
                return (int) next;
            }
        }
    }

    @Override
    public int count(long key, long now, long window) {
        int home = home(key);
        for (int i = 0; i < PROBES; i++) {
            long entry = ClientTableDescriptor.entryOffset((home + i) & mask);
            long found = (long) LONG.getAcquire(memory, entry + KEY_OFFSET);
            if (found == key) {
                long state = (long) LONG.getAcquire(memory, entry + STATE_OFFSET);
                return state == 0 || now - (state >>> 32) >= window ? 0 : (int) state;
            }
            if (found == 0) {
                return 0;
            }
        }
        return 0;
    }

    /** The entry of {@code key}: its own, a free one, or the one whose window started longest ago. */
    private long claim(long key, long now) {
        int home = home(key);
        long oldest = -1;
        long oldestStart = Long.MAX_VALUE;
        for (int i = 0; i < PROBES; i++) {
            long entry = ClientTableDescriptor.entryOffset((home + i) & mask);
            long found = (long) LONG.getAcquire(memory, entry + KEY_OFFSET);
            if (found == 0 && LONG.compareAndSet(memory, entry + KEY_OFFSET, 0L, key)) {
                return entry;
            }
            found = (long) LONG.getAcquire(memory, entry + KEY_OFFSET);
            if (found == key) {
                return entry;
            }
            long start = (long) LONG.getAcquire(memory, entry + STATE_OFFSET) >>> 32;
            if (start < oldestStart) {
                oldestStart = start;
                oldest = entry;
            }
        }
        long previous = (long) LONG.getAcquire(memory, oldest + KEY_OFFSET);
        if (LONG.compareAndSet(memory, oldest + KEY_OFFSET, previous, key)) {
            LONG.setRelease(memory, oldest + STATE_OFFSET, 0L);
        }
        return oldest;
    }

    private int home(long key) {
        return (int) (key ^ key >>> 32) & mask;
    }

    @Override
    public void close() {
        arena.close();
    }
}
