package dev.berth.config;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * A config file, or one section of it, is invalid. Carries every problem found, one line each,
 * in the form {@code berth.yaml:7:14: pools.web.threads: "0" is out of range; accepted: a whole
 * number from 1 to 64}. Unchecked; immutable and safe to share between threads.
 */
public final class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Located problems sort by position; problems without a location come first. */
    static final Comparator<Problem> IN_FILE_ORDER =
            Comparator.comparingInt(Problem::line).thenComparingInt(Problem::column);

    private final List<Problem> problems;

    /**
     * A config exception from finished problem lines, for code that merges the problems of several
     * sections (a host checking every service's settings, say) into one report.
     *
     * @param problems the lines, each already naming its location, key, value and what is accepted
     * @throws IllegalArgumentException if {@code problems} is empty
     * @throws NullPointerException if {@code problems} or one of its lines is null
     */
    public ConfigException(List<String> problems) {
        this(problems.stream().map(text -> new Problem(0, 0, text)).toList(), null);
    }

    private ConfigException(List<Problem> problems, Throwable cause) {
        super(join(problems), cause);
        this.problems = List.copyOf(problems);
    }

    /** One problem at a location; the text is built by {@link Messages#format}. */
    static ConfigException at(Location at, String path, String problem, String accepted) {
        return of(List.of(Problem.at(at, path, problem, accepted)), null);
    }

    /** Several problems, kept in the given order. */
    static ConfigException of(List<Problem> problems, Throwable cause) {
        return new ConfigException(problems, cause);
    }

    /** The problems, one line each, in file order when they came from the loader; never empty. */
    public List<String> problems() {
        return problems.stream().map(Problem::text).toList();
    }

    /** The problems with their positions, for merging into a larger report. */
    List<Problem> located() {
        return problems;
    }

    private static String join(List<Problem> problems) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a config exception needs at least one problem");
        }
        StringBuilder message = new StringBuilder();
        for (Problem problem : problems) {
            if (!message.isEmpty()) {
                message.append('\n');
            }
            message.append(Objects.requireNonNull(problem.text(), "problem"));
        }
        return message.toString();
    }

    /** One problem line and its position (0:0 when it has none), used to sort a report. */
    record Problem(int line, int column, String text) implements java.io.Serializable {

        static Problem at(Location at, String path, String problem, String accepted) {
            return new Problem(at.line(), at.column(), Messages.format(at, path, problem, accepted));
        }
    }
}
