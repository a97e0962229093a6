package dev.berth.scoreboard;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Counts of recent events per client, shared by the worker processes of a host through a mapped
 * file (layout: {@link ClientTableDescriptor}): each count lives in a window that starts with its
 * first event and ends {@code window} seconds later. The master creates the file; workers map it.
 *
 * <p>Thread-safety: every method is safe from any thread of any process and never blocks or
 * locks (compare-and-set); closing unmaps, so nothing may be used after {@link #close}.
 */
public interface ClientTable extends AutoCloseable {

    /** The entries of the table the master creates: 8192 (128 KiB). */
    int DEFAULT_ENTRIES = 8192;

    /**
     * Creates (or truncates) the file with {@code entries} free entries. Master only.
     *
     * @param entries a power of two, at least {@link ClientTableDescriptor#PROBES}
     * @throws java.io.UncheckedIOException when the file cannot be created or mapped
     */
    static ClientTable create(Path file, int entries) {
        return MappedClientTable.create(file, entries);
    }

    /**
     * Maps an existing file. Worker side.
     *
     * @throws IllegalStateException when the file is not a client table of
     *     {@link ClientTableDescriptor#VERSION}
     * @throws java.io.UncheckedIOException when it cannot be opened or mapped
     */
    static ClientTable open(Path file) {
        return MappedClientTable.open(file);
    }

    /** A table in this process's memory only (no master, or tests): counts per process. */
    static ClientTable inMemory(int entries) {
        return MappedClientTable.inMemory(entries);
    }

    /**
     * Counts one event for {@code key}: in the current window, or as the first of a new one when
     * the last started {@code window} seconds or more before {@code now}.
     *
     * @param key from {@link #key}; not 0
     * @param now monotonic seconds
     * @return the events of the window, this one included
     */
    int add(long key, long now, long window);

    /** The events of {@code key}'s current window; 0 when none or the window is over. */
    int count(long key, long now, long window);

    /** A key for what is counted: a 64-bit hash (FNV-1a, then mixed) of the parts, never 0. */
    static long key(String kind, String service, byte[] client) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : (kind + "\u0000" + service + "\u0000").getBytes(StandardCharsets.UTF_8)) {
            hash = (hash ^ (b & 0xff)) * 0x100000001b3L;
        }
        for (byte b : client) {
            hash = (hash ^ (b & 0xff)) * 0x100000001b3L;
        }
        hash ^= hash >>> 33;
        hash *= 0xff51afd7ed558ccdL;
        hash ^= hash >>> 33;
        return hash == 0 ? 1 : hash;
    }

    /** Unmaps the table; the file itself stays. */
    @Override
    void close();
}
