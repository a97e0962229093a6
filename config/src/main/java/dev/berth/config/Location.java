package dev.berth.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A place in a config file: 1-based line and column. Immutable and thread-safe.
 *
 * @param file the file as it was given to the loader (not made absolute), used only for messages
 * @param line the line, from 1
 * @param column the column, from 1
 */
public record Location(Path file, int line, int column) {

    /**
     * Checks the arguments.
     *
     * @throws NullPointerException if {@code file} is null
     * @throws IllegalArgumentException if {@code line} or {@code column} is below 1
     */
    public Location {
        Objects.requireNonNull(file, "file");
        if (line < 1 || column < 1) {
            throw new IllegalArgumentException("line and column start at 1, got " + line + ":" + column);
        }
    }

    /** Returns {@code file:line:column}, such as {@code berth.yaml:12:5}, with the file as given. */
    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}
