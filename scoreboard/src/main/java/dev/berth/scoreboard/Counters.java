package dev.berth.scoreboard;

import java.util.List;

/**
 * A child's labelled counters, kept in its scoreboard slot (layout in {@link ScoreboardDescriptor})
 * so that the master reads them without a message per event and keeps them across the child's
 * death. Get a handle once per label set and keep it: {@link #counter} and {@link #histogram} look
 * the label set up (and append its record the first time); the handle's adds are single atomic
 * instructions.
 *
 * <p>Thread-safe; never blocks (the first use of a label set takes a short in-process lock).
 */
public interface Counters {

    /** Counters that count nowhere: for tests and for code that runs outside a worker. */
    static Counters none() {
        return NoCounters.INSTANCE;
    }

    /**
     * The counter of {@code family} for {@code labels}.
     *
     * @param labels the family's label values in its order ({@link CounterFamily#labels})
     * @throws IllegalArgumentException when the family is a histogram or the label count is wrong
     */
    Counter counter(CounterFamily family, String... labels);

    /**
     * The histogram of {@code family} for {@code labels}.
     *
     * @throws IllegalArgumentException when the family is a counter or the label count is wrong
     */
    Histogram histogram(CounterFamily family, String... labels);

    /** One counter. */
    @FunctionalInterface
    interface Counter {
        /** Adds {@code n} (not negative). Wait-free. */
        void add(long n);

        /** Adds one. */
        default void increment() {
            add(1);
        }
    }

    /** One histogram. */
    @FunctionalInterface
    interface Histogram {
        /** Records one observation of {@code nanos} nanoseconds. Wait-free. */
        void observe(long nanos);
    }

    /**
     * One record as read back by the master.
     *
     * @param family the family, known to this code
     * @param labels the label values in the family's order
     * @param values one value for a counter; for a histogram, the count of each bucket (the last
     *     is +Inf, not cumulative) and then the sum in nanoseconds
     */
    record Sample(CounterFamily family, List<String> labels, long[] values) {
    }

    /** The implementation that counts nowhere. */
    enum NoCounters implements Counters {
        INSTANCE;

        @Override
        public Counter counter(CounterFamily family, String... labels) {
            return n -> { };
        }

        @Override
        public Histogram histogram(CounterFamily family, String... labels) {
            return nanos -> { };
        }
    }
}
