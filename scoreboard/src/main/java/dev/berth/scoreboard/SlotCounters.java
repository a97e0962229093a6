package dev.berth.scoreboard;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

import static dev.berth.scoreboard.ScoreboardDescriptor.COUNTERS_OFFSET;
import static dev.berth.scoreboard.ScoreboardDescriptor.COUNTERS_OVERFLOW_OFFSET;
import static dev.berth.scoreboard.ScoreboardDescriptor.COUNTERS_USED_OFFSET;
import static dev.berth.scoreboard.ScoreboardDescriptor.LABEL_SEPARATOR;
import static dev.berth.scoreboard.ScoreboardDescriptor.RECORD_HEADER;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * The counters area of one slot (drawn in {@link ScoreboardDescriptor}). The child appends records
 * under this object's lock and caches their offsets; adds are atomic on the mapped values. The
 * master reads with {@link #read}.
 */
final class SlotCounters implements Counters {

    private static final VarHandle LONG = JAVA_LONG.varHandle();
    private static final VarHandle INT = JAVA_INT.varHandle();
    private static final int MAX_LABEL_BYTES = 1024;

    private final MemorySegment slot;
    private final ConcurrentHashMap<Key, Long> offsets = new ConcurrentHashMap<>();

    SlotCounters(MemorySegment slot) {
        this.slot = slot;
    }

    private record Key(CounterFamily family, List<String> labels) {
    }

    @Override
    public Counter counter(CounterFamily family, String... labels) {
        if (family.histogram()) {
            throw new IllegalArgumentException(family + " is a histogram");
        }
        long at = valuesOffset(family, labels);
        return at < 0 ? this::overflow : n -> LONG.getAndAdd(slot, at, n);
    }

    @Override
    public Histogram histogram(CounterFamily family, String... labels) {
        if (!family.histogram()) {
            throw new IllegalArgumentException(family + " is a counter");
        }
        long at = valuesOffset(family, labels);
        if (at < 0) {
            return this::overflow;
        }
        double[] bounds = family.buckets();
        long[] nanos = new long[bounds.length];
        for (int i = 0; i < bounds.length; i++) {
            nanos[i] = Math.round(bounds[i] * 1e9);
        }
        return observed -> {
            int bucket = Arrays.binarySearch(nanos, observed);
            bucket = bucket >= 0 ? bucket : -bucket - 1;
            LONG.getAndAdd(slot, at + 8L * bucket, 1L);
            LONG.getAndAdd(slot, at + 8L * (nanos.length + 1), Math.max(0, observed));
        };
    }

    private void overflow(long ignored) {
        INT.getAndAdd(slot, (long) COUNTERS_OVERFLOW_OFFSET, 1);
    }

    /** The offset of the record's first value, appending the record if new; -1 when there is no room. */
    private long valuesOffset(CounterFamily family, String... labels) {
        if (labels.length != family.labels().size()) {
            throw new IllegalArgumentException(family + " takes labels " + family.labels() + ", got "
                    + Arrays.toString(labels));
        }
        Key key = new Key(family, List.of(labels));
        Long known = offsets.get(key);
        return known != null ? known : append(key);
    }

    private synchronized long append(Key key) {
        Long known = offsets.get(key);
        if (known != null) {
            return known;
        }
        byte[] text = String.join(String.valueOf((char) LABEL_SEPARATOR), key.labels().stream()
                .map(l -> l.replace((char) LABEL_SEPARATOR, '?')).toList()).getBytes(StandardCharsets.UTF_8);
        if (text.length > MAX_LABEL_BYTES) {
            return -1;
        }
        int used = (int) INT.getAcquire(slot, (long) COUNTERS_USED_OFFSET);
        int values = key.family().valueCount();
        int length = RECORD_HEADER + padded(text.length) + 8 * values;
        long start = COUNTERS_OFFSET + (long) used;
        if (start + length > slot.byteSize()) {
            return -1;
        }
        slot.set(JAVA_SHORT, start, (short) key.family().code());
        slot.set(JAVA_SHORT, start + 2, (short) values);
        slot.set(JAVA_SHORT, start + 4, (short) text.length);
        MemorySegment.copy(MemorySegment.ofArray(text), 0, slot, start + RECORD_HEADER, text.length);
        long at = start + RECORD_HEADER + padded(text.length);
        INT.setRelease(slot, (long) COUNTERS_USED_OFFSET, used + length);
        offsets.put(key, at);
        return at;
    }

    /** Increments lost for lack of room, since the child started. */
    static int overflowed(MemorySegment slot) {
        return (int) INT.getAcquire(slot, (long) COUNTERS_OVERFLOW_OFFSET);
    }

    /** Every published record of {@code slot} whose family this code knows. */
    static List<Sample> read(MemorySegment slot) {
        int used = (int) INT.getAcquire(slot, (long) COUNTERS_USED_OFFSET);
        List<Sample> samples = new ArrayList<>();
        long at = COUNTERS_OFFSET;
        long end = Math.min(slot.byteSize(), COUNTERS_OFFSET + (long) used);
        while (at + RECORD_HEADER <= end) {
            int code = Short.toUnsignedInt(slot.get(JAVA_SHORT, at));
            int values = Short.toUnsignedInt(slot.get(JAVA_SHORT, at + 2));
            int length = Short.toUnsignedInt(slot.get(JAVA_SHORT, at + 4));
            long first = at + RECORD_HEADER + padded(length);
            if (first + 8L * values > end) {
                break;
            }
            byte[] text = slot.asSlice(at + RECORD_HEADER, length).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
            long[] read = new long[values];
            for (int i = 0; i < values; i++) {
                read[i] = (long) LONG.getAcquire(slot, first + 8L * i);
            }
            CounterFamily.of(code).filter(f -> f.valueCount() == values).ifPresent(f -> samples.add(
                    new Sample(f, labels(new String(text, StandardCharsets.UTF_8)), read)));
            at = first + 8L * values;
        }
        return samples;
    }

    private static List<String> labels(String text) {
        return List.of(text.split(String.valueOf((char) LABEL_SEPARATOR), -1));
    }

    private static int padded(int length) {
        return (length + 7) & ~7;
    }
}
