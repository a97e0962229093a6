package dev.berth.scoreboard;

import dev.berth.posix.SharedMappings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/** A scoreboard over a shared file mapping. */
final class MappedScoreboard implements Scoreboard {

    private final Arena arena;
    private final MemorySegment memory;
    private final int capacity;

    private MappedScoreboard(Arena arena, MemorySegment memory, int capacity) {
        this.arena = arena;
        this.memory = memory;
        this.capacity = capacity;
    }

    static MappedScoreboard create(Path file, int slots) {
        if (slots < 1) {
            throw new IllegalArgumentException("slots must be >= 1: " + slots);
        }
        long length = ScoreboardDescriptor.fileLength(slots);
        Arena arena = Arena.ofShared();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            MemorySegment memory = channel.map(FileChannel.MapMode.READ_WRITE, 0, length, arena);
            memory.fill((byte) 0);
            memory.set(JAVA_INT, ScoreboardDescriptor.VERSION_OFFSET, ScoreboardDescriptor.VERSION);
            memory.set(JAVA_INT, ScoreboardDescriptor.SLOT_LENGTH_OFFSET, ScoreboardDescriptor.SLOT_LENGTH);
            memory.set(JAVA_INT, ScoreboardDescriptor.SLOT_COUNT_OFFSET, slots);
            JAVA_LONG.varHandle().setRelease(memory, (long) ScoreboardDescriptor.MAGIC_OFFSET, ScoreboardDescriptor.MAGIC);
            return new MappedScoreboard(arena, memory, slots);
        } catch (IOException e) {
            arena.close();
            throw new UncheckedIOException("cannot create scoreboard " + file, e);
        }
    }

    static MappedScoreboard open(Path file) {
        Arena arena = Arena.ofShared();
        try {
            // a tenant group's worker gets the file open from the master, as /dev/fd/3 (docs/adr/0013)
            MemorySegment memory = SharedMappings.map(file, arena);
            if (memory.byteSize() < ScoreboardDescriptor.HEADER_LENGTH
                    || (long) JAVA_LONG.varHandle().getAcquire(memory, 0L) != ScoreboardDescriptor.MAGIC
                    || memory.get(JAVA_INT, ScoreboardDescriptor.VERSION_OFFSET) != ScoreboardDescriptor.VERSION
                    || memory.get(JAVA_INT, ScoreboardDescriptor.SLOT_LENGTH_OFFSET) != ScoreboardDescriptor.SLOT_LENGTH) {
                throw new IllegalStateException(file + " is not a version " + ScoreboardDescriptor.VERSION + " scoreboard");
            }
            int slots = memory.get(JAVA_INT, ScoreboardDescriptor.SLOT_COUNT_OFFSET);
            if (memory.byteSize() < ScoreboardDescriptor.fileLength(slots)) {
                throw new IllegalStateException(file + " is shorter than its " + slots + " slots");
            }
            return new MappedScoreboard(arena, memory, slots);
        } catch (IOException e) {
            arena.close();
            throw new UncheckedIOException("cannot open scoreboard " + file, e);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    @Override
    public int capacity() {
        return capacity;
    }

    @Override
    public WorkerSlot slot(int index) {
        if (index < 0 || index >= capacity) {
            throw new IndexOutOfBoundsException("slot " + index + " of " + capacity);
        }
        return new WorkerSlot(index, memory.asSlice(ScoreboardDescriptor.slotOffset(index), ScoreboardDescriptor.SLOT_LENGTH));
    }

    @Override
    public void close() {
        arena.close();
    }
}
