package dev.berth.config;

import java.util.List;
import java.util.SequencedMap;

/**
 * One YAML value and where it starts, as read by {@link YamlTreeReader}. Immutable once built;
 * {@link ConfigSection} is the only reader.
 */
sealed interface Node {

    /** Where the value starts. */
    Location location();

    /** What the value is, for messages: {@code "abc"}, {@code a mapping}, {@code a list}. */
    String describe();

    /** The value without locations: maps, lists, strings, and {@code "~"} for empty, to compare. */
    default Object content() {
        return switch (this) {
            case Mapping m -> contentOf(m.entries());
            case Sequence s -> s.items().stream().map(Node::content).toList();
            case Scalar s -> s.text();
            case Empty e -> "~";
        };
    }

    /** The entries' content, in file order. */
    static java.util.Map<String, Object> contentOf(SequencedMap<String, Entry> entries) {
        java.util.Map<String, Object> content = new java.util.LinkedHashMap<>();
        entries.forEach((key, entry) -> content.put(key, entry.value().content()));
        return content;
    }

    /** A mapping; keys keep file order. */
    record Mapping(Location location, SequencedMap<String, Entry> entries) implements Node {
        @Override
        public String describe() {
            return "a mapping";
        }
    }

    /** One key of a mapping, with the key's own location. */
    record Entry(String key, Location keyLocation, Node value) {
    }

    /** A sequence. */
    record Sequence(Location location, List<Node> items) implements Node {
        @Override
        public String describe() {
            return items.isEmpty() ? "an empty list" : "a list";
        }
    }

    /** A scalar with its text as written (numbers and booleans are not converted). */
    record Scalar(Location location, String text) implements Node {
        @Override
        public String describe() {
            return Messages.quote(text);
        }
    }

    /** A null or empty value ({@code key:}, {@code ~}, {@code null}, {@code ""}): read as absent. */
    record Empty(Location location) implements Node {
        @Override
        public String describe() {
            return "an empty value";
        }
    }
}
