package dev.berth.master;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * JSON text to and from Jackson's trees with the streaming API alone. An {@code ObjectMapper}'s
 * setup (and {@code JsonNode.toString}, which makes one) costs a short command such as
 * {@code berth status} more than all its own work (issue 12); the trees are the same.
 * Stateless and thread-safe.
 */
public final class JsonTree {

    private static final JsonFactory FACTORY = new JsonFactory();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final int MAX_DEPTH = 64;

    private JsonTree() {
    }

    /**
     * The tree of one JSON value.
     *
     * @throws IOException if the text is not one well-formed JSON value, or nests deeper than 64
     */
    public static JsonNode parse(String text) throws IOException {
        try (JsonParser parser = FACTORY.createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new IOException("no JSON value in an empty reply");
            }
            JsonNode value = value(parser, first, 0);
            if (parser.nextToken() != null) {
                throw new IOException("more than one JSON value");
            }
            return value;
        }
    }

    private static JsonNode value(JsonParser parser, JsonToken token, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw new IOException("JSON nested more than " + MAX_DEPTH + " levels deep");
        }
        return switch (token) {
            case START_OBJECT -> {
                ObjectNode object = NODES.objectNode();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    object.set(name, value(parser, parser.nextToken(), depth + 1));
                }
                yield object;
            }
            case START_ARRAY -> {
                ArrayNode array = NODES.arrayNode();
                for (JsonToken next = parser.nextToken(); next != JsonToken.END_ARRAY; next = parser.nextToken()) {
                    array.add(value(parser, next, depth + 1));
                }
                yield array;
            }
            case VALUE_STRING -> NODES.textNode(parser.getText());
            case VALUE_NUMBER_INT -> switch (parser.getNumberType()) {
                case INT -> NODES.numberNode(parser.getIntValue());
                case LONG -> NODES.numberNode(parser.getLongValue());
                default -> NODES.numberNode(parser.getBigIntegerValue());
            };
            case VALUE_NUMBER_FLOAT -> NODES.numberNode(parser.getDoubleValue());
            case VALUE_TRUE -> NODES.booleanNode(true);
            case VALUE_FALSE -> NODES.booleanNode(false);
            case VALUE_NULL -> NODES.nullNode();
            default -> throw new IOException("unexpected JSON token " + token);
        };
    }

    /** Compact JSON text of a tree, as {@code JsonNode.toString} writes it. */
    public static String write(JsonNode node) {
        return write((Object) node);
    }

    /**
     * Compact JSON text of a value built from maps (string keys), iterables, strings, numbers,
     * booleans, nulls and trees.
     */
    public static String write(Object value) {
        StringWriter text = new StringWriter();
        try (JsonGenerator out = FACTORY.createGenerator(text)) {
            write(out, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    private static void write(JsonGenerator out, Object value) throws IOException {
        switch (value) {
            case null -> out.writeNull();
            case JsonNode node when node.isObject() -> {
                out.writeStartObject();
                for (Map.Entry<String, JsonNode> field : node.properties()) {
                    out.writeFieldName(field.getKey());
                    write(out, field.getValue());
                }
                out.writeEndObject();
            }
            case JsonNode node when node.isArray() -> {
                out.writeStartArray();
                for (JsonNode item : node) {
                    write(out, item);
                }
                out.writeEndArray();
            }
            case JsonNode node when node.isTextual() -> out.writeString(node.textValue());
            case JsonNode node when node.isIntegralNumber() -> out.writeNumber(node.bigIntegerValue());
            case JsonNode node when node.isNumber() -> out.writeNumber(node.doubleValue());
            case JsonNode node when node.isBoolean() -> out.writeBoolean(node.booleanValue());
            case JsonNode node -> out.writeNull();
            case Map<?, ?> map -> {
                out.writeStartObject();
                for (Map.Entry<?, ?> field : map.entrySet()) {
                    out.writeFieldName(String.valueOf(field.getKey()));
                    write(out, field.getValue());
                }
                out.writeEndObject();
            }
            case Iterable<?> items -> {
                out.writeStartArray();
                for (Object item : items) {
                    write(out, item);
                }
                out.writeEndArray();
            }
            case String text -> out.writeString(text);
            case Boolean flag -> out.writeBoolean(flag);
            case Integer n -> out.writeNumber(n);
            case Long n -> out.writeNumber(n);
            case Number n -> out.writeNumber(n.doubleValue());
            default -> out.writeString(value.toString());
        }
    }
}
