package dev.berth.config;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Collects the problems of one validation pass so that the loader reports them all at once.
 * Confined to the thread running the pass.
 */
final class Problems {

    private final List<ConfigException.Problem> found = new ArrayList<>();

    /** The value read, or the fallback after recording why it could not be read. */
    <T> T read(Supplier<T> reader, T fallback) {
        try {
            return reader.get();
        } catch (ConfigException e) {
            add(e);
            return fallback;
        }
    }

    /** Runs a check, recording its problems instead of stopping. */
    void check(Runnable check) {
        read(() -> {
            check.run();
            return Boolean.TRUE;
        }, Boolean.FALSE);
    }

    void add(ConfigException e) {
        found.addAll(e.located());
    }

    void add(Location at, String path, String problem, String accepted) {
        found.add(ConfigException.Problem.at(at, path, problem, accepted));
    }

    /** How many problems so far; compare before and after a step to see whether it failed. */
    int count() {
        return found.size();
    }

    /** Throws every problem found, in file order, if there is any. */
    void throwIfAny() {
        if (!found.isEmpty()) {
            List<ConfigException.Problem> sorted = new ArrayList<>(found);
            sorted.sort(ConfigException.IN_FILE_ORDER);
            throw ConfigException.of(sorted, null);
        }
    }
}
