package dev.berth.scoreboard;

/**
 * The layout of the scoreboard file, version {@value #VERSION}: one header, then one slot per
 * child process (a worker or a dispatcher, which uses the same layout). All fields are little-endian; 64-bit fields are naturally aligned and written with release
 * semantics, read with acquire semantics, so a reader never sees a torn value.
 *
 * <pre>
 * header (64 bytes)
 *   0  u64 magic   "BERTHSB1" read as a little-endian long
 *   8  u32 version 3: a reader refuses any other value
 *  12  u32 slot size in bytes (8192)
 *  16  u32 slot count
 *  20  ... zero up to 64
 *
 * slot i at 64 + i * 8192 (cache-line aligned)
 *   line 0: identity, written once per life
 *     0  u64 token      master: unique per spawn, 0 = free; a worker acts only on its own token
 *     8  u64 pid        worker: its process id, written when it attaches
 *    16  u32 state      worker: 1 starting, 2 ready, 3 draining (see WorkerState)
 *    20  u32 beats      worker: how many heartbeat entries are in use (0..112)
 *    24  u32 load       worker: busy share of its event loops over the last second, per mille
 *    32  u64 group      master: which pool (and role) the child serves, so that a worker can
 *                       find its siblings' slots and weigh its load against theirs
 *    40  u64 limit      master: connections after which a worker is recycled (max-requests
 *                       plus its jitter), 0 for never; the worker stops accepting there once
 *                       a sibling can carry the load
 *   line 1: counters, written by the child's threads with atomic adds, or by its one owner
 *    64  u64 accepted   connections taken since start
 *    72  u64 active     connections open now
 *    80  u64 served     requests finished (the kind says what a request is)
 *    88  u64 queued     dispatcher: connections waiting for a worker now
 *    96  u64 in-flight  dispatcher: connections sent to workers and not yet acknowledged
 *   104  u64 links      dispatcher: workers connected to it now
 *   112  u64 counted    handoff worker: the last batch of its dispatch link whose connections it
 *                       has counted in active (written after the count; 0 when it links), so
 *                       that the dispatcher counts a batch once, not as active and in flight
 *   lines 2..15: heartbeats
 *   128  u64 beat[112]  monotonic milliseconds (CLOCK_MONOTONIC, as System.nanoTime / 1e6)
 *                       of the last check-in of each event loop and acceptor thread, or of
 *                       the next one a thread about to sleep has promised (a time ahead of
 *                       the reader's clock: the thread is accounted for until then); the
 *                       largest long means "waiting on something outside the worker" (the
 *                       accept lock) and is not judged
 *   lines 16..127: labelled counters, appended by the child, read by the master ({@link Counters})
 *  1024  u32 used       bytes of records published so far (release after the record is whole)
 *  1028  u32 overflow   increments lost because a new label set found no room
 *  1088  records, each 8-byte aligned, never moved or removed during the child's life:
 *     +0  u16 family    a {@link CounterFamily} code
 *     +2  u16 values    how many u64 values follow the labels (1 for a counter; buckets + 1 for a
 *                       histogram: one count per bucket of {@link CounterFamily#buckets}, the
 *                       last for +Inf, then the sum of observations in nanoseconds)
 *     +4  u16 length    bytes of label text
 *     +6  u16 zero
 *     +8  label values in UTF-8, in the family's label order, separated by 0x1F, zero-padded
 *         to a multiple of 8
 *     then  u64 value[values]  atomic adds by any thread of the child
 * </pre>
 *
 * <p>Counters are how worker-side numbers (SMTP replies, scan verdicts, connections per service,
 * tenant classification, mesh calls) reach the master without a message per event: a child
 * appends a record the first time it meets a label set and adds to its values from then on; the
 * master sums the records of every live child of a pool, and when it reaps a child it folds that
 * child's final values into totals of its own before the slot is reused, so a counter never goes
 * back when a worker dies (not even after SIGKILL). Records are write-once in place, so a reader
 * that sees {@code used} sees every record before it whole.
 *
 * <p>Version policy: fields are only ever added in unused space; a change of meaning or place bumps
 * {@link #VERSION}, and the master recreates the file at start (docs/adr/0003).
 */
public final class ScoreboardDescriptor {

    /** "BERTHSB1" as a little-endian long: the file's first eight bytes spell it. */
    public static final long MAGIC = 0x3142534854524542L;
    /**
     * The layout version this code reads and writes. 3: the magic spells its name (versions 1 and
     * 2 read "ERTHTSB1"); the layout is version 2's.
     */
    public static final int VERSION = 3;
    /** Bytes of the file header. */
    public static final int HEADER_LENGTH = 64;
    /** Bytes of one slot. */
    public static final int SLOT_LENGTH = 8192;
    /** The most heartbeat entries a slot holds. */
    public static final int MAX_BEATS = 112;

    static final int MAGIC_OFFSET = 0;
    static final int VERSION_OFFSET = 8;
    static final int SLOT_LENGTH_OFFSET = 12;
    static final int SLOT_COUNT_OFFSET = 16;

    static final int TOKEN_OFFSET = 0;
    static final int PID_OFFSET = 8;
    static final int STATE_OFFSET = 16;
    static final int BEATS_OFFSET = 20;
    static final int LOAD_OFFSET = 24;
    static final int GROUP_OFFSET = 32;
    static final int LIMIT_OFFSET = 40;
    static final int ACCEPTED_OFFSET = 64;
    static final int ACTIVE_OFFSET = 72;
    static final int SERVED_OFFSET = 80;
    static final int QUEUED_OFFSET = 88;
    static final int IN_FLIGHT_OFFSET = 96;
    static final int LINKS_OFFSET = 104;
    static final int COUNTED_BATCH_OFFSET = 112;
    static final int BEAT_OFFSET = 128;
    static final int COUNTERS_USED_OFFSET = 1024;
    static final int COUNTERS_OVERFLOW_OFFSET = 1028;
    static final int COUNTERS_OFFSET = 1088;
    static final int RECORD_HEADER = 8;
    static final byte LABEL_SEPARATOR = 0x1f;

    private ScoreboardDescriptor() {
    }

    /** The file length for {@code slots} slots. */
    public static long fileLength(int slots) {
        return HEADER_LENGTH + (long) slots * SLOT_LENGTH;
    }

    static long slotOffset(int index) {
        return HEADER_LENGTH + (long) index * SLOT_LENGTH;
    }
}
