package dev.berth.config;

/**
 * How many worker processes a pool runs. A fixed count has {@code min == start == max}. Immutable.
 *
 * @param min the fewest workers kept running, at least 1
 * @param max the most workers the pool grows to under load
 * @param start the workers started at first, from {@code min} to {@code max}
 */
public record WorkerCount(int min, int max, int start) {

    /**
     * Checks that {@code 1 <= min <= start <= max}.
     *
     * @throws IllegalArgumentException if not
     */
    public WorkerCount {
        if (min < 1 || start < min || max < start) {
            throw new IllegalArgumentException(
                    "worker counts need 1 <= min <= start <= max, got min " + min + ", start " + start + ", max " + max);
        }
    }
}
