package dev.berth.mesh;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static dev.berth.mesh.SlotDescriptor.ALIGNMENT;
import static dev.berth.mesh.SlotDescriptor.PADDING_TYPE;
import static dev.berth.mesh.SlotDescriptor.RECORD_HEADER;

/**
 * One single-producer, single-consumer ring of records in shared memory (layout in {@link
 * SlotDescriptor}): the writer claims space against the head, writes the body, then stores the
 * length with release; the reader loads the length with acquire, hands the record on, zeroes it,
 * and advances the head with release. A record that does not fit before the end of the ring is
 * preceded by a padding record to the end.
 *
 * <p>Threads: at most one thread of one process writes at a time, and at most one reads (callers
 * serialise). Neither side blocks: a full ring makes {@link #claim} fail, an empty one makes
 * {@link #read} return 0. Never allocates.
 */
final class Ring {

    private static final VarHandle INT = JAVA_INT.varHandle();
    private static final VarHandle LONG = JAVA_LONG.varHandle();

    /** What {@link #claim} returns when the record does not fit now. */
    static final long FULL = -1;

    private final MemorySegment data;
    private final MemorySegment control;
    private final long tailOffset;
    private final long headCacheOffset;
    private final long headOffset;
    private final int capacity;
    private final int mask;

    /**
     * @param data the ring's bytes, a power of two long
     * @param control the slot's control part, where the three position words live
     */
    Ring(MemorySegment data, MemorySegment control, int tailOffset, int headCacheOffset, int headOffset) {
        this.data = data;
        this.control = control;
        this.tailOffset = tailOffset;
        this.headCacheOffset = headCacheOffset;
        this.headOffset = headOffset;
        this.capacity = (int) data.byteSize();
        this.mask = capacity - 1;
    }

    int capacity() {
        return capacity;
    }

    /** The ring's memory, for encoders and decoders working at an index {@link #claim} or {@link #read} gave. */
    MemorySegment data() {
        return data;
    }

    /**
     * Writer: reserves a record of {@code bodyLength} body bytes and stamps its type; the body goes
     * at the returned index, and nothing is visible to the reader until {@link #commit}.
     *
     * @return the index of the body in {@link #data}, or {@link #FULL}
     */
    long claim(int type, int bodyLength) {
        int required = SlotDescriptor.recordLength(bodyLength);
        long tail = (long) LONG.get(control, tailOffset);
        int index = (int) tail & mask;
        int toEnd = capacity - index;
        int padding = required > toEnd ? toEnd : 0;
        if (!fits(tail, required + padding)) {
            return FULL;
        }
        if (padding != 0) {
            data.set(JAVA_INT, index + 4L, PADDING_TYPE);
            INT.setRelease(data, (long) index, padding);
            index = 0;
        }
        data.set(JAVA_INT, index + 4L, type);
        LONG.setRelease(control, tailOffset, tail + padding + required);
        return index + RECORD_HEADER;
    }

    /** Writer: makes the record whose body is at {@code bodyIndex} readable. */
    void commit(long bodyIndex, int bodyLength) {
        INT.setRelease(data, bodyIndex - RECORD_HEADER, RECORD_HEADER + bodyLength);
    }

    private boolean fits(long tail, int needed) {
        long head = (long) LONG.get(control, headCacheOffset);
        if (tail + needed - head <= capacity) {
            return true;
        }
        head = (long) LONG.getAcquire(control, headOffset);
        LONG.set(control, headCacheOffset, head);
        return tail + needed - head <= capacity;
    }

    /** Receives records from {@link #read}. */
    @FunctionalInterface
    interface Handler {
        /**
         * One record; its body is {@code data[index, index + length)}, valid only during the call.
         *
         * @throws CorruptRingException when the body cannot be decoded
         */
        void onRecord(int type, MemorySegment data, long index, int length);
    }

    /**
     * Reader: hands up to {@code limit} records to the handler, in order, then frees their space.
     *
     * @return how many records were handed on
     * @throws CorruptRingException when a length word is impossible (a process wrote garbage)
     */
    int read(Handler handler, int limit) {
        int records = 0;
        while (records < limit) {
            long before = (long) LONG.get(control, headOffset);
            records += readBlock(handler, limit - records);
            long after = (long) LONG.get(control, headOffset);
            if (after == before || ((int) after & mask) != 0) {
                return records;
            }
        }
        return records;
    }

    /** Reads up to the end of the ring (one contiguous block); the caller goes on at index 0 after a wrap. */
    private int readBlock(Handler handler, int limit) {
        long head = (long) LONG.get(control, headOffset);
        int start = (int) head & mask;
        int consumed = 0;
        int records = 0;
        try {
            while (records < limit && consumed < capacity - start) {
                int index = start + consumed;
                int length = (int) INT.getAcquire(data, (long) index);
                if (length == 0) {
                    break;
                }
                if (length < RECORD_HEADER || length > capacity - index) {
                    throw new CorruptRingException("record length " + length + " at " + index);
                }
                int type = data.get(JAVA_INT, index + 4L);
                consumed += (length + ALIGNMENT - 1) & -ALIGNMENT;
                if (type != PADDING_TYPE) {
                    records++;
                    handler.onRecord(type, data, index + (long) RECORD_HEADER, length - RECORD_HEADER);
                }
            }
        } finally {
            if (consumed > 0) {
                data.asSlice(start, consumed).fill((byte) 0);
                LONG.setRelease(control, headOffset, head + consumed);
            }
        }
        return records;
    }

    /** Whether a committed record waits (either side may ask). */
    boolean hasRecord() {
        long head = (long) LONG.getAcquire(control, headOffset);
        return (int) INT.getAcquire(data, (long) ((int) head & mask)) != 0;
    }

    /** Bytes written and not yet read. */
    long size() {
        return (long) LONG.getAcquire(control, tailOffset) - (long) LONG.getAcquire(control, headOffset);
    }

    /** Empties the ring. Only while neither side uses it (claim, reclaim). */
    void reset() {
        data.fill((byte) 0);
        LONG.setRelease(control, tailOffset, 0L);
        LONG.setRelease(control, headCacheOffset, 0L);
        LONG.setRelease(control, headOffset, 0L);
    }
}
