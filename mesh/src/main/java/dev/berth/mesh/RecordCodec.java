package dev.berth.mesh;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

/**
 * Record bodies, little-endian, with strings as {@code u16 length + UTF-8} and the payload last
 * (its length is what remains of the record):
 *
 * <pre>
 * CALL    i64 id, i64 deadline-nanos, str group, str key, str type, payload
 * CANCEL  i64 id
 * ANSWER  i64 id, u8 ok, payload (the error text when not ok)
 * REPLY   i64 id, u8 outcome (1 ok, 0 failed, 2 failed: deadline passed), str node, payload (the
 *         error text when not ok)
 * SERVE   i64 id, i64 deadline-nanos, str group, str key, str type, str from, payload
 * </pre>
 *
 * Stateless; every method is thread-safe.
 */
final class RecordCodec {

    private RecordCodec() {
    }

    /**
     * Writes the record into the ring.
     *
     * @return false when the ring has no room for it now
     * @throws IllegalArgumentException when it is larger than a ring takes ({@link SlotDescriptor#maxBody})
     */
    static boolean write(Ring ring, MeshRecord record) {
        byte[][] strings = strings(record);
        byte[] payload = payload(record);
        int fixed = switch (record) {
            case MeshRecord.Call c -> 16;
            case MeshRecord.Serve s -> 16;
            case MeshRecord.Cancel c -> 8;
            case MeshRecord.Answer a -> 9;
            case MeshRecord.Reply r -> 9;
        };
        int length = fixed + payload.length;
        for (byte[] s : strings) {
            length += 2 + s.length;
        }
        if (length > SlotDescriptor.maxBody(ring.capacity())) {
            throw new IllegalArgumentException("a mesh message of " + length + " bytes is larger than a slot ring takes ("
                    + SlotDescriptor.maxBody(ring.capacity()) + "; raise mesh.slot-size)");
        }
        long index = ring.claim(record.type(), length);
        if (index == Ring.FULL) {
            return false;
        }
        MemorySegment data = ring.data();
        long at = index;
        switch (record) {
            case MeshRecord.Call c -> at = putLong(data, putLong(data, at, c.id()), c.deadlineNanos());
            case MeshRecord.Serve s -> at = putLong(data, putLong(data, at, s.id()), s.deadlineNanos());
            case MeshRecord.Cancel c -> at = putLong(data, at, c.id());
            case MeshRecord.Answer a -> at = putByte(data, putLong(data, at, a.id()), a.ok());
            case MeshRecord.Reply r -> at = putByte(data, putLong(data, at, r.id()), r.ok() ? 1 : r.timedOut() ? 2 : 0);
        }
        for (byte[] s : strings) {
            data.set(JAVA_SHORT_UNALIGNED, at, (short) s.length);
            MemorySegment.copy(s, 0, data, JAVA_BYTE, at + 2, s.length);
            at += 2 + s.length;
        }
        MemorySegment.copy(payload, 0, data, JAVA_BYTE, at, payload.length);
        ring.commit(index, length);
        return true;
    }

    /**
     * Decodes one body.
     *
     * @throws CorruptRingException when the body does not hold what its type says
     */
    static MeshRecord read(int type, MemorySegment data, long index, int length) {
        Reader in = new Reader(data, index, length);
        return switch (type) {
            case MeshRecord.CALL -> new MeshRecord.Call(in.i64(), in.i64(), in.str(), in.str(), in.str(), in.rest());
            case MeshRecord.CANCEL -> new MeshRecord.Cancel(in.i64());
            case MeshRecord.ANSWER -> new MeshRecord.Answer(in.i64(), in.bool(), in.rest());
            case MeshRecord.REPLY -> {
                long id = in.i64();
                int outcome = in.u8();
                yield new MeshRecord.Reply(id, outcome == 1, outcome == 2, in.str(), in.rest());
            }
            case MeshRecord.SERVE -> new MeshRecord.Serve(in.i64(), in.i64(), in.str(), in.str(), in.str(), in.str(),
                    in.rest());
            default -> throw new CorruptRingException("unknown record type " + type);
        };
    }

    private static byte[][] strings(MeshRecord record) {
        return switch (record) {
            case MeshRecord.Call c -> utf8(c.group(), c.key(), c.requestType());
            case MeshRecord.Serve s -> utf8(s.group(), s.key(), s.requestType(), s.from());
            case MeshRecord.Reply r -> utf8(r.node());
            case MeshRecord.Cancel c -> new byte[0][];
            case MeshRecord.Answer a -> new byte[0][];
        };
    }

    private static byte[] payload(MeshRecord record) {
        return switch (record) {
            case MeshRecord.Call c -> c.payload();
            case MeshRecord.Serve s -> s.payload();
            case MeshRecord.Reply r -> r.payload();
            case MeshRecord.Answer a -> a.payload();
            case MeshRecord.Cancel c -> new byte[0];
        };
    }

    private static byte[][] utf8(String... strings) {
        byte[][] bytes = new byte[strings.length][];
        for (int i = 0; i < strings.length; i++) {
            bytes[i] = strings[i].getBytes(StandardCharsets.UTF_8);
            if (bytes[i].length > 0xffff) {
                throw new IllegalArgumentException("a group, key, type or node name is longer than 65535 bytes");
            }
        }
        return bytes;
    }

    private static long putLong(MemorySegment data, long at, long value) {
        data.set(JAVA_LONG_UNALIGNED, at, value);
        return at + 8;
    }

    private static long putByte(MemorySegment data, long at, boolean value) {
        return putByte(data, at, value ? 1 : 0);
    }

    private static long putByte(MemorySegment data, long at, int value) {
        data.set(JAVA_BYTE, at, (byte) value);
        return at + 1;
    }

    /** A bounds-checked cursor over one body. */
    private static final class Reader {
        private final MemorySegment data;
        private final long end;
        private long at;

        Reader(MemorySegment data, long index, int length) {
            this.data = data;
            this.at = index;
            this.end = index + length;
        }

        long i64() {
            need(8);
            long value = data.get(JAVA_LONG_UNALIGNED, at);
            at += 8;
            return value;
        }

        boolean bool() {
            return u8() != 0;
        }

        int u8() {
            need(1);
            return Byte.toUnsignedInt(data.get(JAVA_BYTE, at++));
        }

        String str() {
            need(2);
            int length = Short.toUnsignedInt(data.get(JAVA_SHORT_UNALIGNED, at));
            at += 2;
            need(length);
            byte[] bytes = new byte[length];
            MemorySegment.copy(data, JAVA_BYTE, at, bytes, 0, length);
            at += length;
            return new String(bytes, StandardCharsets.UTF_8);
        }

        byte[] rest() {
            byte[] bytes = new byte[(int) (end - at)];
            MemorySegment.copy(data, JAVA_BYTE, at, bytes, 0, bytes.length);
            at = end;
            return bytes;
        }

        private void need(int bytes) {
            if (at + bytes > end) {
                throw new CorruptRingException("record body ends early");
            }
        }
    }
}
