package io.orchide.model.codec;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.orchide.model.FieldError;
import io.orchide.model.ManifestException;
import org.yaml.snakeyaml.error.MarkedYAMLException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns manifest text into JSON trees. Text whose first non-blank character is '{' is read as JSON (falling back
 * to YAML flow style); anything else as a stream of YAML documents. Syntax errors become a {@link FieldError} at
 * path "" whose message gives the line and column.
 */
public final class TreeParser {
    private TreeParser() {
    }

    /** The documents of {@code text}; empty ones (a {@code ---} line with nothing after it) are left out. */
    public static List<JsonNode> documents(String text) throws ManifestException {
        if (text == null) throw new ManifestException(new FieldError("", null, "document is empty"));
        String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
        if (looksLikeJson(body)) {
            try {
                return nonEmpty(jsonDocument(body));
            } catch (JsonProcessingException jsonError) {
                try {
                    return yamlDocuments(body);
                } catch (JsonProcessingException yamlError) {
                    throw syntaxError("JSON", jsonError);
                }
            }
        }
        try {
            return yamlDocuments(body);
        } catch (JsonProcessingException e) {
            throw syntaxError("YAML", e);
        }
    }

    /** The one JSON value of {@code body}; anything after it is an error, as in a YAML-less JSON reader. */
    private static List<JsonNode> jsonDocument(String body) throws JsonProcessingException {
        try (JsonParser parser = Formats.JSON.createParser(body)) {
            JsonNode doc = Trees.read(parser);
            JsonToken trailing = parser.nextToken();
            if (trailing != null) {
                throw new JsonParseException(parser, "Trailing token (of type " + trailing + ") found after value"
                        + " (bound as `" + JsonNode.class.getName() + "`): not allowed as per"
                        + " `DeserializationFeature.FAIL_ON_TRAILING_TOKENS`", parser.currentTokenLocation());
            }
            return List.of(doc);
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            throw new IllegalStateException("reading a String cannot fail with I/O", e);
        }
    }

    private static List<JsonNode> yamlDocuments(String body) throws JsonProcessingException {
        List<JsonNode> docs = new ArrayList<>();
        try (JsonParser parser = Formats.YAML.createParser(body)) {
            while (parser.nextToken() != null) docs.add(Trees.read(parser));
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            throw new IllegalStateException("reading a String cannot fail with I/O", e);
        }
        return nonEmpty(docs);
    }

    private static List<JsonNode> nonEmpty(List<JsonNode> docs) {
        return docs.stream().filter(d -> d != null && !d.isNull() && !d.isMissingNode()
                && !(d.isTextual() && d.textValue().isEmpty())).toList();
    }

    /** True when the first character outside blank and '#' comment lines is '{'. */
    private static boolean looksLikeJson(String body) {
        for (String line : body.lines().toList()) {
            String s = line.strip();
            if (!s.isEmpty() && !s.startsWith("#")) return s.startsWith("{");
        }
        return false;
    }

    private static ManifestException syntaxError(String format, JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        String detail = e.getOriginalMessage() == null ? ""
                : e.getOriginalMessage().strip().lines().findFirst().orElse("");
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MarkedYAMLException y && y.getProblem() != null) {
                detail = (y.getContext() == null ? "" : y.getContext() + ": ") + y.getProblem();
                if (y.getProblemMark() != null) {
                    at = new JsonLocation(null, -1, y.getProblemMark().getLine() + 1,
                            y.getProblemMark().getColumn() + 1);
                }
                break;
            }
        }
        String where = at == null || at.getLineNr() < 1 ? ""
                : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
        return new ManifestException(new FieldError("", null, format + " syntax error" + where + ": " + detail));
    }
}
