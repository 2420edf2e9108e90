package io.orchide.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orchide.model.codec.Trees;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * JSON trees for the client verbs, read and written through Jackson's streaming API ({@link Trees}) rather than an
 * {@code ObjectMapper}: a mapper's serializers and deserializers are built by reflection on first use, which was a
 * large part of every verb's start-up, and a verb only ever needs trees.
 */
final class Json {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    ObjectNode createObjectNode() { return F.objectNode(); }

    ArrayNode createArrayNode() { return F.arrayNode(); }

    JsonNode missingNode() { return F.missingNode(); }

    JsonNode readTree(String text) throws IOException {
        return readTree(text.getBytes(StandardCharsets.UTF_8));
    }

    JsonNode readTree(InputStream in) throws IOException {
        return readTree(in.readAllBytes());
    }

    private static JsonNode readTree(byte[] bytes) throws IOException {
        JsonNode n = Trees.readJson(bytes);
        return n.isMissingNode() ? F.objectNode() : n;
    }

    /** Indented as Jackson's default pretty printer does. */
    String pretty(JsonNode n) { return Trees.toJson(n, true); }
}
