package io.orchide.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks an answer written for a test against ground's own OpenAPI document (the one ground serves at
 * {@code /api/v1/openapi.json}): the route and status exist, and the body has only declared fields, every required
 * one, of the declared types and values. An answer ground could never give fails the test that wrote it.
 */
final class GroundOpenApi {
    private static final JsonNode DOC = load();
    private static final String PREFIX = DOC.path("servers").path(0).path("url").asText("/api/v1");

    private GroundOpenApi() {
    }

    private static JsonNode load() {
        try (InputStream in = GroundOpenApi.class.getResourceAsStream("/io/orchide/ground/api/openapi.json")) {
            if (in == null) throw new IllegalStateException("ground's openapi.json is not on the test classpath");
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Fails with every difference when {@code json} is not what ground answers {@code method path} with {@code status}. */
    static void check(String method, String path, int status, String json) {
        String route = route(path);
        JsonNode op = DOC.path("paths").path(route).path(method.toLowerCase());
        if (op.isMissingNode()) throw new AssertionError("ground's API has no " + method + " " + path + " (route " + route + ")");
        JsonNode response = op.path("responses").path(Integer.toString(status));
        JsonNode schema;
        if (status >= 400) {
            schema = DOC.path("components").path("schemas").path("Error");
        } else if (response.isMissingNode()) {
            throw new AssertionError("ground never answers " + method + " " + path + " with " + status + "; it answers "
                    + fieldNames(op.path("responses")));
        } else {
            schema = response.path("content").path("application/json").path("schema");
            if (schema.isMissingNode()) throw new AssertionError(method + " " + path + " " + status + " is not JSON in ground's API");
        }
        JsonNode body;
        try {
            body = new ObjectMapper().readTree(json);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
        List<String> problems = new ArrayList<>();
        validate(schema, body, "$", problems);
        if (!problems.isEmpty()) {
            throw new AssertionError("the answer to " + method + " " + path + " (" + status + ") is not what ground's API"
                    + " answers:\n  " + String.join("\n  ", problems) + "\nanswer: " + json);
        }
    }

    /** The document's path template that {@code path} (query left out) matches. */
    private static String route(String path) {
        String p = path.startsWith(PREFIX) ? path.substring(PREFIX.length()) : path;
        for (Iterator<String> it = DOC.path("paths").fieldNames(); it.hasNext(); ) {
            String template = it.next();
            String regex = Pattern.quote(template).replaceAll("\\{[^}]+}", "\\\\E[^/]+\\\\Q");
            if (p.matches(regex)) return template;
        }
        return p;
    }

    private static void validate(JsonNode schema, JsonNode value, String at, List<String> problems) {
        if (schema.has("$ref")) {
            String ref = schema.get("$ref").asText();
            validate(DOC.at(ref.substring(1)), value, at, problems);
            return;
        }
        List<String> types = new ArrayList<>();
        JsonNode t = schema.path("type");
        if (t.isArray()) t.forEach(x -> types.add(x.asText()));
        else if (t.isTextual()) types.add(t.asText());
        if (!types.isEmpty() && types.stream().noneMatch(type -> is(type, value))) {
            problems.add(at + ": " + value.getNodeType().name().toLowerCase() + " where the API has " + types);
            return;
        }
        if (value.isTextual() && schema.has("enum")) {
            boolean known = false;
            for (JsonNode e : schema.get("enum")) known |= e.asText().equals(value.asText());
            if (!known) problems.add(at + ": " + value.asText() + " is none of " + schema.get("enum"));
        }
        if (value.isTextual() && schema.has("pattern") && !Pattern.compile(schema.get("pattern").asText()).matcher(value.asText()).find()) {
            problems.add(at + ": " + value.asText() + " does not match " + schema.get("pattern").asText());
        }
        if (value.isObject()) {
            JsonNode props = schema.path("properties");
            for (JsonNode r : schema.path("required")) {
                if (!value.has(r.asText())) problems.add(at + ": missing required field " + r.asText());
            }
            if (props.isObject()) {
                for (Map.Entry<String, JsonNode> f : value.properties()) {
                    JsonNode p = props.get(f.getKey());
                    if (p == null) problems.add(at + "." + f.getKey() + ": no such field in the API (it has " + fieldNames(props) + ")");
                    else validate(p, f.getValue(), at + "." + f.getKey(), problems);
                }
            }
        }
        if (value.isArray() && schema.has("items")) {
            for (int i = 0; i < value.size(); i++) validate(schema.get("items"), value.get(i), at + "[" + i + "]", problems);
        }
    }

    private static boolean is(String type, JsonNode v) {
        return switch (type) {
            case "null" -> v.isNull();
            case "string" -> v.isTextual();
            case "integer" -> v.isIntegralNumber();
            case "number" -> v.isNumber();
            case "boolean" -> v.isBoolean();
            case "object" -> v.isObject();
            case "array" -> v.isArray();
            default -> true;
        };
    }

    private static List<String> fieldNames(JsonNode o) {
        List<String> names = new ArrayList<>();
        o.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
