package io.orchide.link.trust;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The one byte form of a signed document: UTF-8 JSON, object keys sorted by their UTF-16 code units, no whitespace,
 * and only strings, integers, booleans, null, arrays and objects (no fractions: their text is not unique). Signer
 * and verifier compute the same bytes from the same document, however the document was indented in transit.
 */
public final class CanonicalJson {
    static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private CanonicalJson() { }

    public static byte[] bytes(JsonNode node) {
        StringBuilder out = new StringBuilder();
        write(node, out);
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Parses a document's text, refusing duplicate keys (two readers could otherwise see two documents). */
    public static JsonNode parse(String text, String what) throws TrustException {
        try {
            JsonNode n = JSON.readTree(text);
            if (n == null) throw new TrustException(what, "is empty");
            return n;
        } catch (JsonProcessingException e) {
            throw new TrustException(what, "is not JSON: " + e.getOriginalMessage());
        }
    }

    public static ObjectNode object() {
        return JSON.createObjectNode();
    }

    private static void write(JsonNode n, StringBuilder out) {
        switch (n.getNodeType()) {
            case OBJECT -> {
                List<String> names = new ArrayList<>();
                for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) names.add(it.next());
                names.sort(null);
                out.append('{');
                for (int i = 0; i < names.size(); i++) {
                    if (i > 0) out.append(',');
                    string(names.get(i), out);
                    out.append(':');
                    write(n.get(names.get(i)), out);
                }
                out.append('}');
            }
            case ARRAY -> {
                out.append('[');
                for (int i = 0; i < n.size(); i++) {
                    if (i > 0) out.append(',');
                    write(n.get(i), out);
                }
                out.append(']');
            }
            case STRING -> string(n.textValue(), out);
            case NUMBER -> {
                if (!n.isIntegralNumber()) throw new IllegalArgumentException("a signed document holds integers only, not " + n);
                out.append(n.bigIntegerValue());
            }
            case BOOLEAN -> out.append(n.booleanValue());
            case NULL -> out.append("null");
            default -> throw new IllegalArgumentException("no canonical form for " + n.getNodeType());
        }
    }

    /** Escapes only what JSON requires: the quote, the backslash and control characters. */
    private static void string(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') out.append('\\').append(c);
            else if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
            else out.append(c);
        }
        out.append('"');
    }
}
