package dev.berth.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.SequencedMap;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads YAML text into a located {@link Node} tree with Jackson's streaming parser. Syntax errors
 * become one located {@link ConfigException}; duplicate keys are recorded in the given
 * {@link Problems} (the first value is kept) so that validation can go on. One instance per text,
 * confined to the calling thread.
 */
final class YamlTreeReader {

    private static final YAMLFactory FACTORY = YAMLFactory.builder().build();
    private static final int MAX_DEPTH = 64;
    private static final String WELL_FORMED =
            "well-formed YAML, with quotes around values that start with [, {, *, & or !, like \"[::1]:8080\" or \"*:8080\"";

    private final Path file;
    private final Problems problems;
    private YAMLParser parser;

    private YamlTreeReader(Path file, Problems problems) {
        this.file = file;
        this.problems = problems;
    }

    /**
     * The root value of the text, or empty when the text holds no document (empty or comments).
     *
     * @throws ConfigException if the text is not well-formed YAML, uses aliases, nests too deeply or
     *     holds more than one document
     */
    static Optional<Node> read(Path file, String text, Problems problems) {
        return new YamlTreeReader(file, problems).read(text.startsWith("\uFEFF") ? text.substring(1) : text);
    }

    private Optional<Node> read(String text) {
        try (YAMLParser yaml = FACTORY.createParser(text)) {
            parser = yaml;
            JsonToken first = parser.nextToken();
            if (first == null) {
                return Optional.empty();
            }
            Node root = value(first, "", 0);
            if (parser.nextToken() != null) {
                throw fail(here(), "", "a second YAML document", "one document per file");
            }
            return Optional.of(root);
        } catch (JacksonException e) {
            throw syntaxError(e);
        } catch (IOException e) {
            throw ConfigException.of(List.of(ConfigException.Problem.at(new Location(file, 1, 1), "",
                    "unreadable YAML: " + e.getMessage(), WELL_FORMED)), e);
        }
    }

    private Node value(JsonToken token, String path, int depth) throws IOException {
        Location at = here();
        if (depth > MAX_DEPTH) {
            throw fail(at, path, "nested more than " + MAX_DEPTH + " levels deep", "a shallower structure");
        }
        return switch (token) {
            case START_OBJECT -> mapping(at, path, depth);
            case START_ARRAY -> sequence(at, path, depth);
            case VALUE_NULL -> new Node.Empty(at);
            default -> scalar(at, path);
        };
    }

    private Node scalar(Location at, String path) throws IOException {
        if (parser.isCurrentAlias()) {
            throw fail(at, path, "*" + parser.getText() + " is a YAML alias, which berth does not support",
                    "values without aliases; put quotes around a value that starts with *, like \"*:8080\"");
        }
        String text = parser.getText();
        return text.isEmpty() ? new Node.Empty(at) : new Node.Scalar(at, text);
    }

    private Node mapping(Location at, String path, int depth) throws IOException {
        SequencedMap<String, Node.Entry> entries = new LinkedHashMap<>();
        JsonToken token;
        while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            Location keyAt = here();
            String keyPath = path.isEmpty() ? key : path + "." + key;
            Node value = value(parser.nextToken(), keyPath, depth + 1);
            Node.Entry first = entries.get(key);
            if (first == null) {
                entries.put(key, new Node.Entry(key, keyAt, value));
            } else {
                problems.add(keyAt, keyPath, "duplicate key; the first is at " + first.keyLocation(),
                        "each key once in a mapping");
            }
        }
        expect(token, JsonToken.END_OBJECT);
        return new Node.Mapping(at, java.util.Collections.unmodifiableSequencedMap(entries));
    }

    private Node sequence(Location at, String path, int depth) throws IOException {
        List<Node> items = new ArrayList<>();
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY && token != null) {
            items.add(value(token, path + "[" + items.size() + "]", depth + 1));
        }
        expect(token, JsonToken.END_ARRAY);
        return new Node.Sequence(at, List.copyOf(items));
    }

    private void expect(JsonToken token, JsonToken wanted) {
        if (token != wanted) {
            throw fail(here(), "", "unexpected " + (token == null ? "end of text" : token.asString()), WELL_FORMED);
        }
    }

    private Location here() {
        JsonLocation at = parser.currentTokenLocation();
        return new Location(file, Math.max(1, at.getLineNr()), Math.max(1, at.getColumnNr()));
    }

    private ConfigException fail(Location at, String path, String problem, String accepted) {
        return ConfigException.at(at, path, problem, accepted);
    }

    private ConfigException syntaxError(JacksonException e) {
        Location at;
        String problem;
        if (e.getCause() instanceof MarkedYAMLException marked && marked.getProblemMark() != null) {
            Mark mark = marked.getProblemMark();
            at = new Location(file, mark.getLine() + 1, mark.getColumn() + 1);
            problem = marked.getProblem();
            if (marked.getContext() != null) {
                problem = problem + " (" + marked.getContext() + ")";
            }
        } else {
            JsonLocation where = e.getLocation();
            at = where == null ? new Location(file, 1, 1)
                    : new Location(file, Math.max(1, where.getLineNr()), Math.max(1, where.getColumnNr()));
            problem = e.getOriginalMessage();
        }
        boolean tab = problem.contains("\\t(TAB)");
        String text = tab ? "a tab character where YAML allows none" : problem.strip();
        String accepted = tab ? "spaces for indentation and between tokens" : WELL_FORMED;
        return ConfigException.of(List.of(ConfigException.Problem.at(at, "", "invalid YAML: " + text, accepted)), e);
    }
}
