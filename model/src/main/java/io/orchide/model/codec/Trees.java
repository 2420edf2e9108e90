package io.orchide.model.codec;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * JSON trees read from and written to Jackson streams directly, without a mapper: the agent only ever needs
 * trees, and a mapper's serializer and deserializer machinery costs it memory it does not have. Nodes get the
 * same types a mapper would give them (int, long or big integer; double or float; text, boolean, null, binary).
 * Reading and writing use no recursion, so deeply nested input cannot exhaust a small thread stack.
 */
public final class Trees {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private Trees() {
    }

    /** The one JSON value in {@code bytes} (duplicate keys refused); anything after it is an error. */
    public static JsonNode readJson(byte[] bytes) throws IOException {
        try (JsonParser p = Formats.JSON.createParser(bytes)) {
            JsonNode node = read(p);
            JsonToken trailing = p.nextToken();
            if (trailing != null) throw new JsonParseException(p, "trailing data (" + trailing + ") after the value");
            return node;
        }
    }

    /**
     * The value starting at the parser's current token (the next one when there is none yet), leaving the parser
     * on the value's last token; a missing node when the input has no more tokens. Tokens are pulled with the
     * same parser calls a mapper makes ({@code nextFieldName} inside objects), so errors read the same.
     */
    public static JsonNode read(JsonParser p) throws IOException {
        JsonToken t = p.currentToken() != null ? p.currentToken() : p.nextToken();
        if (t == null) return F.missingNode();
        JsonNode root = value(p, t);
        if (!(root instanceof ContainerNode<?> c)) return root;
        Deque<ContainerNode<?>> open = new ArrayDeque<>();
        open.push(c);
        while (!open.isEmpty()) {
            JsonNode value;
            if (open.peek() instanceof ObjectNode o) {
                String name = p.nextFieldName();
                if (name == null) {
                    open.pop();
                    continue;
                }
                value = value(p, p.nextToken());
                o.set(name, value);
            } else {
                JsonToken next = p.nextToken();
                if (next == JsonToken.END_ARRAY) {
                    open.pop();
                    continue;
                }
                value = value(p, next);
                ((ArrayNode) open.peek()).add(value);
            }
            if (value instanceof ContainerNode<?> child) open.push(child);
        }
        return root;
    }

    /** The node for a value's first token: an empty container to fill, or the whole scalar. */
    private static JsonNode value(JsonParser p, JsonToken t) throws IOException {
        if (t == null) throw new JsonParseException(p, "Unexpected end-of-input in a value");
        return switch (t) {
            case START_OBJECT -> F.objectNode();
            case START_ARRAY -> F.arrayNode();
            default -> scalar(p, t);
        };
    }

    private static JsonNode scalar(JsonParser p, JsonToken t) throws IOException {
        return switch (t) {
            case VALUE_STRING -> F.textNode(p.getText());
            case VALUE_NUMBER_INT -> switch (p.getNumberType()) {
                case INT -> F.numberNode(p.getIntValue());
                case LONG -> F.numberNode(p.getLongValue());
                default -> F.numberNode(p.getBigIntegerValue());
            };
            case VALUE_NUMBER_FLOAT -> switch (p.getNumberTypeFP()) {
                case BIG_DECIMAL -> decimal(p.getDecimalValue());
                case FLOAT32 -> F.numberNode(p.getFloatValue());
                default -> F.numberNode(p.getDoubleValue());
            };
            case VALUE_TRUE -> F.booleanNode(true);
            case VALUE_FALSE -> F.booleanNode(false);
            case VALUE_NULL -> F.nullNode();
            case VALUE_EMBEDDED_OBJECT -> embedded(p.getEmbeddedObject());
            default -> throw new JsonParseException(p, "Unexpected token (" + t + ") where a value should be");
        };
    }

    private static JsonNode decimal(BigDecimal v) {
        return F.numberNode(F.willStripTrailingBigDecimalZeroes() ? v.stripTrailingZeros() : v);
    }

    private static JsonNode embedded(Object o) {
        if (o == null) return F.nullNode();
        if (o instanceof byte[] b) return F.binaryNode(b);
        if (o instanceof RawValue r) return F.rawValueNode(r);
        if (o instanceof JsonNode n) return n;
        return F.pojoNode(o);
    }

    /** Writes {@code node} as one value, with the generator's own format and pretty printer. */
    public static void write(JsonNode node, JsonGenerator g) throws IOException {
        new TreeWriter(g).write(node);
    }

    /** The JSON text of {@code node}: compact, or indented as Jackson's default pretty printer does. */
    public static String toJson(JsonNode node, boolean pretty) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = Formats.JSON.createGenerator(out)) {
            if (pretty) g.useDefaultPrettyPrinter();
            write(node, g);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return out.toString();
    }

    /** The JSON text of {@code node} as UTF-8 bytes, compact or pretty as {@link #toJson}. */
    public static byte[] toJsonBytes(JsonNode node, boolean pretty) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = Formats.JSON.createGenerator(out, JsonEncoding.UTF8)) {
            if (pretty) g.useDefaultPrettyPrinter();
            write(node, g);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return out.toByteArray();
    }

    /** The YAML text of {@code node}: block style, no leading {@code ---}, number-like strings quoted. */
    public static String toYaml(JsonNode node) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = Formats.YAML.createGenerator(out)) {
            write(node, g);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return out.toString();
    }
}
