package dev.berth.scoreboard;

import java.nio.file.Path;

/**
 * The memory-mapped file through which workers report liveness and load to the master without a
 * message per event (layout: {@link ScoreboardDescriptor}). The master creates it and hands each
 * worker a slot index and token; the worker maps the same file.
 *
 * <p>Thread-safety: every slot accessor is safe from any thread of any process; closing unmaps, so
 * no slot may be used after {@link #close}.
 */
public interface Scoreboard extends AutoCloseable {

    /**
     * Creates (or truncates) the file with zeroed slots. Master only.
     *
     * @throws java.io.UncheckedIOException when the file cannot be created or mapped
     */
    static Scoreboard create(Path file, int slots) {
        return MappedScoreboard.create(file, slots);
    }

    /**
     * Maps an existing file. Worker side.
     *
     * @throws IllegalStateException when the file is not a scoreboard of {@link ScoreboardDescriptor#VERSION}
     * @throws java.io.UncheckedIOException when it cannot be opened or mapped
     */
    static Scoreboard open(Path file) {
        return MappedScoreboard.open(file);
    }

    /** The number of slots. */
    int capacity();

    /** A view of slot {@code index}, 0-based. */
    WorkerSlot slot(int index);

    /**
     * A child's own slot: the one the master assigned it with {@code token}.
     *
     * @throws IllegalStateException when the slot carries another token (another child's slot)
     */
    default WorkerSlot claim(int index, long token) {
        WorkerSlot slot = slot(index);
        if (slot.token() != token) {
            throw new IllegalStateException("slot " + index + " belongs to another process");
        }
        return slot;
    }

    /** Unmaps the file; the file itself stays. */
    @Override
    void close();
}
