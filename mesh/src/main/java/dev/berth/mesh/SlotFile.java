package dev.berth.mesh;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The mapped slot file shared by the proxy and every process that uses the mesh (layout: {@link
 * SlotDescriptor}). The master creates it once per start, when the config has a {@code mesh}
 * section, and keeps it for its life: truncating a file that others have mapped would kill them
 * with SIGBUS, so a restarted proxy opens the same file.
 *
 * <p>Thread-safe; closing unmaps, so nothing of it may be used after {@link #close}.
 */
public final class SlotFile implements AutoCloseable {

    private static final VarHandle INT = JAVA_INT.varHandle();
    private static final VarHandle LONG = JAVA_LONG.varHandle();

    private final Path path;
    private final Arena arena;
    private final MemorySegment memory;
    private final Slot[] slots;
    private final Doorbell bell;
    /** The last {@link #used} answer: a hint, it only grows. */
    private volatile int used;

    private SlotFile(Path path, Arena arena, MemorySegment memory, int count, int ringCapacity) {
        this.path = path;
        this.arena = arena;
        this.memory = memory;
        this.slots = new Slot[count];
        for (int i = 0; i < count; i++) {
            slots[i] = new Slot(i, memory.asSlice(SlotDescriptor.slotOffset(i, ringCapacity),
                    SlotDescriptor.stride(ringCapacity)), ringCapacity);
        }
        this.bell = new Doorbell(doorbell(), Doorbell.pipe(path));
    }

    /**
     * Creates (or truncates) the file with every slot free. Master only, before any other process
     * maps it.
     *
     * @param slots how many processes can use the mesh at once, at least 1
     * @param slotSize bytes of the two rings of a slot, a power of two from 8k
     * @throws MeshException when the file cannot be created or mapped
     * @throws IllegalArgumentException when a size is out of range
     */
    public static SlotFile create(Path path, int slots, long slotSize) {
        if (slots < 1 || slots > 65536) {
            throw new IllegalArgumentException("slots must be 1..65536: " + slots);
        }
        int ring = SlotDescriptor.ringCapacity(slotSize);
        Arena arena = Arena.ofShared();
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            MemorySegment memory = channel.map(FileChannel.MapMode.READ_WRITE, 0,
                    SlotDescriptor.fileLength(slots, ring), arena);
            memory.set(JAVA_INT, SlotDescriptor.VERSION_OFFSET, SlotDescriptor.VERSION);
            memory.set(JAVA_INT, SlotDescriptor.SLOT_COUNT_OFFSET, slots);
            memory.set(JAVA_INT, SlotDescriptor.RING_CAPACITY_OFFSET, ring);
            memory.set(JAVA_INT, SlotDescriptor.STRIDE_OFFSET, SlotDescriptor.stride(ring));
            LONG.setRelease(memory, (long) SlotDescriptor.MAGIC_OFFSET, SlotDescriptor.MAGIC);
            return new SlotFile(path, arena, memory, slots, ring);
        } catch (IOException e) {
            arena.close();
            throw new MeshException("cannot create the mesh slot file " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * Maps an existing file: the proxy, a worker, {@code berth mesh call}.
     *
     * @throws MeshException when it is missing, cannot be mapped, or is not a version {@value
     *     SlotDescriptor#VERSION} slot file
     */
    public static SlotFile open(Path path) {
        Arena arena = Arena.ofShared();
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            MemorySegment memory = channel.map(FileChannel.MapMode.READ_WRITE, 0, channel.size(), arena);
            if (memory.byteSize() < SlotDescriptor.HEADER_LENGTH
                    || (long) LONG.getAcquire(memory, (long) SlotDescriptor.MAGIC_OFFSET) != SlotDescriptor.MAGIC
                    || memory.get(JAVA_INT, SlotDescriptor.VERSION_OFFSET) != SlotDescriptor.VERSION) {
                throw new MeshException(path + " is not a version " + SlotDescriptor.VERSION + " mesh slot file");
            }
            int slots = memory.get(JAVA_INT, SlotDescriptor.SLOT_COUNT_OFFSET);
            int ring = memory.get(JAVA_INT, SlotDescriptor.RING_CAPACITY_OFFSET);
            if (Integer.bitCount(ring) != 1 || ring < SlotDescriptor.MIN_RING
                    || memory.byteSize() < SlotDescriptor.fileLength(slots, ring)) {
                throw new MeshException(path + " is shorter than its " + slots + " slots");
            }
            return new SlotFile(path, arena, memory, slots, ring);
        } catch (IOException e) {
            arena.close();
            throw new MeshException("cannot open the mesh slot file " + path + " (is the mesh proxy's master running?): "
                    + e.getMessage(), e);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /** The file's path. */
    public Path path() {
        return path;
    }

    /** How many slots it has. */
    public int capacity() {
        return slots.length;
    }

    Slot slot(int index) {
        return slots[index];
    }

    /**
     * How many slots, from index 0, have ever been claimed (or are being claimed now): the proxy
     * reads only these. A process claims the lowest free slot ({@link SlotClient#attach}), and a
     * claim leaves the generation above 0 for good, so the slots ever used are a prefix of the
     * file; a quiet proxy with one worker looks at 2 slots per wake-up instead of all 64 (each
     * look, interpreted in a process too quiet for the JIT, cost about 8 µs per slot).
     */
    int used() {
        int n = used;
        while (n < slots.length && (slots[n].generation() != 0 || slots[n].owner() != 0)) {
            n++;
        }
        if (n != used) {
            used = n;
        }
        return n;
    }

    /** The proxy's waiter word (the doorbell's state): a stand-in for the proxy sleeps on it in tests. */
    MemorySegment doorbell() {
        return memory.asSlice(SlotDescriptor.PROXY_WAITER_OFFSET, 4);
    }

    /** The proxy's doorbell: processes ring it after writing a request. */
    Doorbell bell() {
        return bell;
    }

    /** Proxy: records itself as the reader of every slot and starts a new epoch. */
    long attachProxy(long pid) {
        LONG.setRelease(memory, (long) SlotDescriptor.PROXY_PID_OFFSET, pid);
        return (long) LONG.getAndAdd(memory, (long) SlotDescriptor.PROXY_EPOCH_OFFSET, 1L) + 1;
    }

    long proxyEpoch() {
        return (long) LONG.getAcquire(memory, (long) SlotDescriptor.PROXY_EPOCH_OFFSET);
    }

    long proxyPid() {
        return (long) LONG.getAcquire(memory, (long) SlotDescriptor.PROXY_PID_OFFSET);
    }

    void proxyHeartbeat(long nowMillis) {
        LONG.setRelease(memory, (long) SlotDescriptor.PROXY_HEARTBEAT_OFFSET, nowMillis);
    }

    long proxyHeartbeat() {
        return (long) LONG.getAcquire(memory, (long) SlotDescriptor.PROXY_HEARTBEAT_OFFSET);
    }

    /** Unmaps the file; the file itself stays. */
    @Override
    public void close() {
        bell.close();
        arena.close();
    }
}
