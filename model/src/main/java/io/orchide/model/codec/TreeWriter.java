package io.orchide.model.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.POJONode;
import com.fasterxml.jackson.databind.util.RawValue;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;

/**
 * Writes a JSON tree to a generator with the same generator calls the nodes' own serializers make, so the text
 * is the one a mapper would write. Containers are walked with an explicit stack rather than by recursion.
 */
final class TreeWriter {
    private final JsonGenerator g;
    private final Deque<Open> open = new ArrayDeque<>();

    /** A container being written: the iterator over its entries (objects) or elements (arrays). */
    private record Open(Iterator<?> rest, boolean object) {
    }

    TreeWriter(JsonGenerator g) {
        this.g = g;
    }

    void write(JsonNode root) throws IOException {
        JsonNode next = root;
        while (true) {
            if (next != null) start(next);
            if (open.isEmpty()) return;
            Open top = open.peek();
            if (!top.rest().hasNext()) {
                open.pop();
                if (top.object()) g.writeEndObject();
                else g.writeEndArray();
                next = null;
            } else if (top.object()) {
                Map.Entry<?, ?> e = (Map.Entry<?, ?>) top.rest().next();
                g.writeFieldName((String) e.getKey());
                next = (JsonNode) e.getValue();
            } else {
                next = (JsonNode) top.rest().next();
            }
        }
    }

    /** Writes a value node whole, or opens a container. */
    private void start(JsonNode n) throws IOException {
        if (n.isObject()) {
            g.writeStartObject(n);
            open.push(new Open(n.properties().iterator(), true));
        } else if (n.isArray()) {
            g.writeStartArray(n, n.size());
            open.push(new Open(n.elements(), false));
        } else {
            scalar(n);
        }
    }

    private void scalar(JsonNode n) throws IOException {
        switch (n.getNodeType()) {
            case STRING -> g.writeString(n.textValue());
            case NUMBER -> number(n);
            case BOOLEAN -> g.writeBoolean(n.booleanValue());
            case BINARY -> binary(n);
            case POJO -> pojo(((POJONode) n).getPojo());
            default -> g.writeNull();
        }
    }

    private void number(JsonNode n) throws IOException {
        switch (n.numberType()) {
            case INT -> g.writeNumber(n.intValue());
            case LONG -> g.writeNumber(n.longValue());
            case BIG_INTEGER -> g.writeNumber(n.bigIntegerValue());
            case FLOAT -> g.writeNumber(n.floatValue());
            case BIG_DECIMAL -> g.writeNumber(n.decimalValue());
            default -> g.writeNumber(n.doubleValue());
        }
    }

    private void binary(JsonNode n) throws IOException {
        byte[] data = n.binaryValue();
        if (data == null) g.writeNull();
        else g.writeBinary(data);
    }

    private void pojo(Object value) throws IOException {
        if (value instanceof RawValue raw) raw.serialize(g);
        else g.writeObject(value);
    }
}
