package io.orchide.runtime;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import io.orchide.model.codec.Trees;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * JSON files the drivers read and write (OCI image indexes, manifests and configs, urunc.json, runtime
 * config.json), through jackson-core streaming: the agent never builds a databind mapper.
 */
public final class JsonFiles {
    private static final JsonFactory FACTORY = new JsonFactory();

    private JsonFiles() {
    }

    public static JsonNode read(Path file) throws IOException {
        try (JsonParser p = FACTORY.createParser(file.toFile())) {
            return Trees.read(p);
        }
    }

    public static JsonNode read(byte[] json) throws IOException {
        try (JsonParser p = FACTORY.createParser(json)) {
            return Trees.read(p);
        }
    }

    /** Writes nested maps, lists, strings, numbers, booleans and nulls (anything else as its string). */
    public static void write(Path file, Object value, boolean pretty) throws IOException {
        try (JsonGenerator g = FACTORY.createGenerator(file.toFile(), JsonEncoding.UTF8)) {
            if (pretty) g.useDefaultPrettyPrinter();
            write(g, value);
        }
    }

    private static void write(JsonGenerator g, Object v) throws IOException {
        if (v instanceof Map<?, ?> m) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                g.writeFieldName(String.valueOf(e.getKey()));
                write(g, e.getValue());
            }
            g.writeEndObject();
        } else if (v instanceof List<?> l) {
            g.writeStartArray();
            for (Object o : l) write(g, o);
            g.writeEndArray();
        } else if (v == null) {
            g.writeNull();
        } else if (v instanceof String s) {
            g.writeString(s);
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            g.writeNumber(((Number) v).longValue());
        } else if (v instanceof Number n) {
            g.writeNumber(n.doubleValue());
        } else {
            g.writeString(v.toString());
        }
    }
}
