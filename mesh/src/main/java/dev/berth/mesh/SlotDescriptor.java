package dev.berth.mesh;

/**
 * The layout of the mesh slot file ({@code run/mesh-slots}), version {@value #VERSION}: a header,
 * then one slot per process that calls or serves through the mesh (a worker, {@code berth mesh
 * call}). A slot is the seed's pair of input and output spaces: a <b>request ring</b> that its
 * owner writes and the proxy reads, and a <b>reply ring</b> that the proxy writes and the owner
 * reads. All fields are little-endian and naturally aligned; words that two processes share are
 * written with release (or volatile) semantics and read with acquire semantics.
 *
 * <pre>
 * header (256 bytes)
 *   0  u64 magic           "BERTHMS1" as a little-endian long, written last at creation
 *   8  u32 version         1: a reader refuses any other value
 *  12  u32 slot count
 *  16  u32 ring capacity   bytes of each ring, a power of two (mesh.slot-size / 2)
 *  20  u32 slot stride     1024 + 2 * ring capacity
 *  24  u64 proxy pid       the proxy attached to the file, 0 before
 *  32  u64 proxy epoch     +1 each time a proxy attaches: calls a process sent to an earlier
 *                          proxy get no reply, so the process fails them
 *  line 1 ( 64) u32 proxy waiter  the doorbell ({@link Doorbell}): 0 while the proxy is awake,
 *                          2 while its event loop sleeps in epoll_wait (a process that wrote a
 *                          record swaps it to 0 and writes a byte to the pipe {@code <file>.bell}),
 *                          1 while a reader sleeps on this word (futex; benches' stand-ins)
 *  line 2 (128) u64 proxy heartbeat  CLOCK_MONOTONIC ms, stamped by the proxy's slot agent
 *
 * slot i at 256 + i * stride; its 1024-byte control part is cache-line aligned
 *  line 0 (  0) identity, written by the owner when it claims the slot
 *     0 u64 owner pid      0 = free; a process claims by compare-and-set from 0 to its pid
 *     8 u64 owner start    the owner's start time, epoch ms: with the pid, names one process life
 *    16 u32 generation     +1 at every claim and every reclaim: the proxy drops a reply whose call
 *                          came from another generation, so a new owner never sees an old reply
 *    20 u32 state          0 free, 1 claiming, 2 active, 3 reclaiming ({@link SlotState})
 *    24 u32 serves         how many entries of the served-group table are in use (0..4)
 *    32 u64 served[4]      FNV-1a hashes of the mesh groups whose requests this process executes
 *  line 1 ( 64) u64 heartbeat     CLOCK_MONOTONIC ms, stamped by the owner at least every 100 ms
 *  line 2 (128) u32 owner waiter  1 while the owner's reader sleeps on it; the proxy wakes it
 *  line 3 (192) u64 request tail        owner
 *  line 4 (256) u64 request head cache  owner (its last look at the head)
 *  line 5 (320) u64 request head        proxy
 *  line 6 (384) u64 reply tail          proxy
 *  line 7 (448) u64 reply head cache    proxy
 *  line 8 (512) u64 reply head          owner
 *  line 9 (576) u64 calls sent, u64 requests served   owner's counters
 *  1024 request ring (capacity bytes), then the reply ring (capacity bytes)
 *
 * record in a ring (8-byte aligned)
 *   0 i32 length    header + body; 0 = not yet written; stored last, with release: the seed's
 *                   "readable" mark. A writer killed before it gets here leaves 0, so the reader
 *                   never sees a torn record
 *   4 i32 type      {@link MeshRecord} type, or -1 for padding to the end of the ring
 *   8 body          {@link MeshRecord} encoding
 * </pre>
 *
 * <p>Positions (tail, head) count bytes since the ring was reset and only grow; a reader zeroes what
 * it consumed, so free space always reads as 0. The "writable" mark is the head: a writer needs
 * {@code tail + record - head <= capacity}.
 *
 * <p>Version policy: fields are only ever added in unused space; a change of meaning or place bumps
 * {@link #VERSION}. The master creates the file at start; a reader refuses other versions
 * (docs/adr/0016).
 */
final class SlotDescriptor {

    /** "BERTHMS1" as a little-endian long. */
    static final long MAGIC = 0x31534d4854524542L;
    static final int VERSION = 1;
    static final int HEADER_LENGTH = 256;
    static final int CONTROL_LENGTH = 1024;
    static final int MAX_SERVED = 4;
    static final int RECORD_HEADER = 8;
    static final int ALIGNMENT = 8;
    static final int PADDING_TYPE = -1;
    /** The smallest ring: 4 KiB. */
    static final int MIN_RING = 4096;

    static final int MAGIC_OFFSET = 0;
    static final int VERSION_OFFSET = 8;
    static final int SLOT_COUNT_OFFSET = 12;
    static final int RING_CAPACITY_OFFSET = 16;
    static final int STRIDE_OFFSET = 20;
    static final int PROXY_PID_OFFSET = 24;
    static final int PROXY_EPOCH_OFFSET = 32;
    static final int PROXY_WAITER_OFFSET = 64;
    static final int PROXY_HEARTBEAT_OFFSET = 128;

    static final int OWNER_OFFSET = 0;
    static final int START_OFFSET = 8;
    static final int GENERATION_OFFSET = 16;
    static final int STATE_OFFSET = 20;
    static final int SERVES_OFFSET = 24;
    static final int SERVED_OFFSET = 32;
    static final int HEARTBEAT_OFFSET = 64;
    static final int OWNER_WAITER_OFFSET = 128;
    static final int REQUEST_TAIL_OFFSET = 192;
    static final int REQUEST_HEAD_CACHE_OFFSET = 256;
    static final int REQUEST_HEAD_OFFSET = 320;
    static final int REPLY_TAIL_OFFSET = 384;
    static final int REPLY_HEAD_CACHE_OFFSET = 448;
    static final int REPLY_HEAD_OFFSET = 512;
    static final int CALLS_OFFSET = 576;
    static final int SERVED_COUNT_OFFSET = 584;

    private SlotDescriptor() {
    }

    /** The ring capacity for a configured {@code mesh.slot-size} (both rings together). */
    static int ringCapacity(long slotSize) {
        if (slotSize < 2L * MIN_RING || slotSize > (1L << 30) || Long.bitCount(slotSize) != 1) {
            throw new IllegalArgumentException("slot-size must be a power of two from 8k to 1g: " + slotSize);
        }
        return (int) (slotSize / 2);
    }

    static int stride(int ringCapacity) {
        return CONTROL_LENGTH + 2 * ringCapacity;
    }

    static long fileLength(int slots, int ringCapacity) {
        return HEADER_LENGTH + (long) slots * stride(ringCapacity);
    }

    static long slotOffset(int index, int ringCapacity) {
        return HEADER_LENGTH + (long) index * stride(ringCapacity);
    }

    /** The aligned length a record of {@code bodyLength} body bytes takes in a ring. */
    static int recordLength(int bodyLength) {
        return (RECORD_HEADER + bodyLength + ALIGNMENT - 1) & -ALIGNMENT;
    }

    /** The largest body one record may carry: a quarter of the ring, so that a full record never waits on a wrap. */
    static int maxBody(int ringCapacity) {
        return ringCapacity / 4 - RECORD_HEADER;
    }
}
