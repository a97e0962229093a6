package dev.berth.scoreboard;

/**
 * The layout of the client table file ({@code run/clients}), version {@value #VERSION}: what the
 * worker processes of a host count per client address together, so that a limit holds across
 * connections and workers (failed SMTP AUTH per address, say). An open-addressed hash table of
 * fixed size. All fields are little-endian 64-bit words, read with acquire and changed only by
 * compare-and-set, so a reader never sees a torn value and no writer takes a lock.
 *
 * <pre>
 * header (64 bytes)
 *   0  u64 magic    "BERTHCT1" read as a little-endian long
 *   8  u32 version  1: a reader refuses any other value
 *  12  u32 entry size in bytes (16)
 *  16  u32 entry count, a power of two
 *  20  ... zero up to 64
 *
 * entry i at 64 + i * 16 (four to a cache line)
 *   0  u64 key      a 64-bit hash of what is counted (its kind, the service, the client's
 *                   address block: an IPv4 address or an IPv6 /64); 0 = free
 *   8  u64 state    window start &lt;&lt; 32 | count: the start of the current window in
 *                   monotonic seconds (CLOCK_MONOTONIC, System.nanoTime / 1e9), comparable
 *                   across the processes of one boot, and the events counted since
 * </pre>
 *
 * A key is found by linear probing from its hash over at most {@link #PROBES} entries. A writer
 * that finds neither its key nor a free entry takes the entry of that run whose window started
 * longest ago: counts are about recent events, so the oldest is the one to forget. Two keys can
 * share a hash only with the odds of a 64-bit collision; then they share a count.
 *
 * <p>Version policy: as for {@link ScoreboardDescriptor}; the master creates the file anew at
 * every start (docs/adr/0011).
 */
public final class ClientTableDescriptor {

    /** "BERTHCT1" as a little-endian long. */
    public static final long MAGIC = 0x3154434854524542L;
    /** The layout version this code reads and writes. */
    public static final int VERSION = 1;
    /** Bytes of the file header. */
    public static final int HEADER_LENGTH = 64;
    /** Bytes of one entry. */
    public static final int ENTRY_LENGTH = 16;
    /** The most entries looked at for one key. */
    public static final int PROBES = 32;

    static final int MAGIC_OFFSET = 0;
    static final int VERSION_OFFSET = 8;
    static final int ENTRY_LENGTH_OFFSET = 12;
    static final int ENTRY_COUNT_OFFSET = 16;

    static final int KEY_OFFSET = 0;
    static final int STATE_OFFSET = 8;

    private ClientTableDescriptor() {
    }

    /** The file length for {@code entries} entries. */
    public static long fileLength(int entries) {
        return HEADER_LENGTH + (long) entries * ENTRY_LENGTH;
    }

    static long entryOffset(int index) {
        return HEADER_LENGTH + (long) index * ENTRY_LENGTH;
    }
}
