package dev.berth.config;

import java.math.BigInteger;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SequencedMap;
import java.util.Set;

/**
 * A located YAML mapping handed to a service kind so that it can parse its own section. Every
 * accessor reads one key; a key whose value is null or empty ({@code key:}, {@code ~}) counts as
 * absent. A value that cannot be read throws a {@link ConfigException} with one located problem
 * ({@code file:line:col: path.key: "bad" is ...; accepted: ...}), so a kind reports its first bad
 * key; {@link #rejectUnknownKeys} reports all unknown keys at once.
 *
 * <p>Immutable and thread-safe. Does no I/O: {@link #file(String)} only resolves a path.
 */
public final class ConfigSection {

    private final Path file;
    private final String path;
    private final Location location;
    private final SequencedMap<String, Node.Entry> entries;

    ConfigSection(Path file, String path, Location location, SequencedMap<String, Node.Entry> entries) {
        this.file = Objects.requireNonNull(file, "file");
        this.path = Objects.requireNonNull(path, "path");
        this.location = Objects.requireNonNull(location, "location");
        this.entries = entries;
    }

    ConfigSection(Path file, String path, Node.Mapping mapping) {
        this(file, path, mapping.location(), mapping.entries());
    }

    /**
     * A section without keys, located at line 1, column 1 of {@code file}; every accessor returns
     * its default. For tests, and for a service entry that has no section for its kind.
     *
     * @param file the config file, the base for relative paths
     * @param path the key path that messages name, such as {@code services[0].http}
     */
    public static ConfigSection empty(Path file, String path) {
        return new ConfigSection(file, path, new Location(file, 1, 1), Collections.emptySortedMap());
    }

    /**
     * The whole text as one section with an empty path, for a kind's unit tests. Empty text (or
     * only comments) gives an empty section.
     *
     * @throws ConfigException if the text is not valid YAML, repeats a key, or is not a mapping
     */
    public static ConfigSection parseYaml(Path file, String yamlText) {
        Problems problems = new Problems();
        Optional<Node> root = YamlTreeReader.read(file, yamlText, problems);
        problems.throwIfAny();
        return switch (root.orElse(new Node.Empty(new Location(file, 1, 1)))) {
            case Node.Mapping mapping -> new ConfigSection(file, "", mapping);
            case Node.Empty empty -> new ConfigSection(file, "", empty.location(), Collections.emptySortedMap());
            case Node other -> throw ConfigException.at(other.location(), "", "found " + other.describe(), "a mapping of keys to values");
        };
    }

    /** Where the mapping starts (its first key), or where it would have been when absent. */
    public Location location() {
        return location;
    }

    /** The key path of this section, such as {@code services[1].http}; empty for a whole file. */
    public String path() {
        return path;
    }

    /** The keys present, in file order, including keys with empty values. */
    public Set<String> keys() {
        return Collections.unmodifiableSequencedSet(entries.sequencedKeySet());
    }

    /** Whether the key is present with a non-empty value. */
    public boolean has(String key) {
        return value(key).isPresent();
    }

    /**
     * A scalar as text, as written (numbers and booleans too).
     *
     * @throws ConfigException if the value is a mapping or a list
     */
    public Optional<String> string(String key) {
        return scalar(key, "a single value").map(Node.Scalar::text);
    }

    /** Like {@link #string(String)}, with a default for an absent key. */
    public String string(String key, String defaultValue) {
        return string(key).orElse(defaultValue);
    }

    /**
     * A whole number from {@code min} to {@code max}, both included.
     *
     * @throws ConfigException if the value is not a whole number or is out of range
     * @throws IllegalArgumentException if {@code min > max}
     */
    public int integer(String key, int defaultValue, int min, int max) {
        return (int) longInteger(key, defaultValue, min, max);
    }

    /**
     * A size in bytes: bare bytes ({@code 65536}) or a number with {@code k}, {@code m}, {@code g}
     * or {@code t} (powers of 1024, case-insensitive, an optional trailing {@code b} allowed).
     *
     * @throws ConfigException if the value is not such a size or does not fit a {@code long}
     */
    public long size(String key, long defaultValue) {
        return scalar(key, Values.SIZE).map(s -> Values.size(s.text()).orElseThrow(
                () -> error(key, s, "is not a size", Values.SIZE))).orElse(defaultValue);
    }

    /**
     * A duration: a whole number with {@code ms}, {@code s}, {@code m}, {@code h} or {@code d};
     * a bare {@code 0} is zero.
     *
     * @throws ConfigException if the value is not such a duration
     */
    public Duration duration(String key, Duration defaultValue) {
        return duration(key, defaultValue, Duration.ZERO);
    }

    /**
     * {@code true} or {@code false} (also {@code yes}/{@code no}, {@code on}/{@code off}; any case).
     *
     * @throws ConfigException for any other value
     */
    public boolean bool(String key, boolean defaultValue) {
        return scalar(key, Values.BOOL).map(s -> Values.bool(s.text()).orElseThrow(
                () -> error(key, s, "is not true or false", Values.BOOL))).orElse(defaultValue);
    }

    /**
     * A path resolved against the directory of the config file (made absolute, then normalised).
     * The file is not opened or checked for existence.
     *
     * @throws ConfigException if the value is not a valid path on this system
     */
    public Optional<Path> file(String key) {
        return scalar(key, "a file path").map(s -> {
            try {
                return Values.baseDirectory(file).resolve(s.text()).normalize();
            } catch (InvalidPathException e) {
                throw error(key, s, "is not a valid path (" + e.getReason() + ")", "a file path");
            }
        });
    }

    /**
     * A YAML list of scalars as text, or an empty list when absent.
     *
     * @throws ConfigException naming every bad item, if the value is not a list or an item is a
     *     mapping, a list or empty
     */
    public List<String> strings(String key) {
        return ScalarList.read(this, key, "a list of values, like [a, b]").stream().map(Node.Scalar::text).toList();
    }

    /**
     * The mapping under the key, or an empty section (located at the key, or at this section when
     * the key is absent) when absent or empty.
     *
     * @throws ConfigException if the value is a scalar or a list
     */
    public ConfigSection section(String key) {
        Location at = entry(key).map(Node.Entry::keyLocation).orElse(location);
        return switch (entry(key).map(Node.Entry::value).orElse(new Node.Empty(at))) {
            case Node.Mapping mapping -> new ConfigSection(file, pathOf(key), mapping);
            case Node.Empty empty -> new ConfigSection(file, pathOf(key), at, Collections.emptySortedMap());
            case Node other -> throw error(key, "found " + other.describe(), "a mapping of keys to values");
        };
    }

    /**
     * Rejects every key not in {@code known}: one problem per unknown key, located at the key,
     * with the closest known key suggested. Pass an ordered set (such as a {@code LinkedHashSet})
     * to list the accepted keys in that order; other sets are listed sorted.
     *
     * @throws ConfigException if any key is unknown
     */
    public void rejectUnknownKeys(Set<String> known) {
        Objects.requireNonNull(known, "known");
        Problems problems = new Problems();
        for (Node.Entry entry : entries.values()) {
            if (!known.contains(entry.key())) {
                String problem = Messages.withSuggestion("unknown key", entry.key(), known);
                problems.add(entry.keyLocation(), pathOf(entry.key()), problem, Messages.list(known));
            }
        }
        problems.throwIfAny();
    }

    /**
     * A problem with the key's value, located at the value (where the value would start when it
     * is empty, at this section when the key is absent). The message reads {@code file:line:col: path.key: problem; accepted:
     * accepted}, so {@code problem} should quote the bad value, like {@code "x" is not a mode}.
     * Returned, not thrown, so that callers write {@code throw section.error(...)}.
     *
     * @param accepted what would be accepted; left out of the message when empty
     */
    public ConfigException error(String key, String problem, String accepted) {
        Location at = entry(key).map(e -> e.value().location()).orElse(location);
        return ConfigException.at(at, pathOf(key), problem, accepted);
    }

    /** A duration of at least {@code min}. */
    Duration duration(String key, Duration defaultValue, Duration min) {
        String accepted = Values.durationAccepted(min);
        return scalar(key, accepted).map(s -> {
            Duration value = Values.duration(s.text()).orElseThrow(() -> error(key, s,
                    Values.isWholeNumber(s.text()) ? "has no unit" : "is not a duration", accepted));
            if (value.compareTo(min) < 0) {
                throw error(key, s, "is out of range", accepted);
            }
            return value;
        }).orElse(defaultValue);
    }

    /** A whole number from {@code min} to {@code max}, as a {@code long}. */
    long longInteger(String key, long defaultValue, long min, long max) {
        if (min > max) {
            throw new IllegalArgumentException("min " + min + " > max " + max);
        }
        String accepted = Values.rangeAccepted(min, max);
        return scalar(key, accepted).map(s -> {
            BigInteger value = Values.wholeNumber(s.text()).orElseThrow(() -> error(key, s, "is not a whole number", accepted));
            if (value.compareTo(BigInteger.valueOf(min)) < 0 || value.compareTo(BigInteger.valueOf(max)) > 0) {
                throw error(key, s, "is out of range", accepted);
            }
            return value.longValueExact();
        }).orElse(defaultValue);
    }

    /** The non-empty value of a key. */
    Optional<Node> value(String key) {
        return entry(key).map(Node.Entry::value).filter(v -> !(v instanceof Node.Empty));
    }

    /** The raw entry of a key, present even when its value is empty. */
    Optional<Node.Entry> entry(String key) {
        return Optional.ofNullable(entries.get(key));
    }

    /** Every raw entry, in file order; read-only. */
    SequencedMap<String, Node.Entry> entries() {
        return Collections.unmodifiableSequencedMap(entries);
    }

    /**
     * Equal when both hold the same keys and values, wherever they stand in which file, so that a
     * reload can tell whether a service's settings changed.
     */
    @Override
    public boolean equals(Object other) {
        return other instanceof ConfigSection section && Node.contentOf(entries).equals(Node.contentOf(section.entries));
    }

    /** Consistent with {@link #equals}. */
    @Override
    public int hashCode() {
        return Node.contentOf(entries).hashCode();
    }

    /** The path, location and content, for debugging: {@code services[0].echo at berth.yaml:5:7: {a=1}}. */
    @Override
    public String toString() {
        return (path.isEmpty() ? "" : path + " ") + "at " + location + ": " + Node.contentOf(entries);
    }

    /** The key path of a key of this section. */
    String pathOf(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** A problem located at a key itself rather than at its value. */
    ConfigException errorAtKey(String key, String problem, String accepted) {
        Location at = entry(key).map(Node.Entry::keyLocation).orElse(location);
        return ConfigException.at(at, pathOf(key), problem, accepted);
    }

    private Optional<Node.Scalar> scalar(String key, String accepted) {
        return value(key).map(node -> switch (node) {
            case Node.Scalar scalar -> scalar;
            default -> throw error(key, "found " + node.describe(), accepted);
        });
    }

    private ConfigException error(String key, Node.Scalar scalar, String problem, String accepted) {
        return ConfigException.at(scalar.location(), pathOf(key), Messages.quote(scalar.text()) + " " + problem, accepted);
    }
}
