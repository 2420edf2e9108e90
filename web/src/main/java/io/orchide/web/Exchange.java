package io.orchide.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.orchide.model.FieldError;
import io.orchide.model.codec.Trees;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Small helpers over an {@link HttpExchange}: bounded body reading, query parameters, JSON replies. Replies are
 * trees built with {@link #JSON} and written as a stream, so the agent never needs a Jackson mapper.
 */
public final class Exchange {
    public static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    /** The largest request body a JSON or manifest call accepts. */
    public static final int MAX_BODY = 1 << 20;
    /** How much of a body over the limit is read away so that its client can still read the 413. */
    private static final long MAX_DRAIN = 256L << 20;

    private Exchange() {
    }

    /**
     * The request body as text, at most {@link #MAX_BODY} bytes. A larger body is read to its end and thrown away
     * before the 413 is sent (up to {@link #MAX_DRAIN}): a server that replies while the client is still sending
     * resets the connection, and the client then sees a reset instead of the limit.
     */
    public static String body(HttpExchange ex) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            long declared = contentLength(ex);
            if (declared > MAX_BODY) {
                drain(in);
                throw tooLarge(Long.toString(declared));
            }
            byte[] b = in.readNBytes(MAX_BODY + 1);
            if (b.length > MAX_BODY) {
                long rest = drain(in);
                throw tooLarge(rest < MAX_DRAIN ? Long.toString(b.length + rest) : "more than " + MAX_DRAIN);
            }
            return new String(b, StandardCharsets.UTF_8);
        }
    }

    private static ApiException tooLarge(String size) {
        String limit = "the limit of " + MAX_BODY + " bytes (" + (MAX_BODY >> 20) + " MiB)";
        return new ApiException(413, "too_large", "request body over " + limit,
                java.util.List.of(new FieldError("body", size + " bytes", "is over " + limit)));
    }

    private static long contentLength(HttpExchange ex) {
        String v = ex.getRequestHeaders().getFirst("Content-Length");
        if (v == null) return -1;
        try {
            return Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
            return -1; // the server itself refuses a malformed length before a handler runs
        }
    }

    /** Reads and discards up to {@link #MAX_DRAIN} bytes; returns how many it read. */
    private static long drain(InputStream in) throws IOException {
        byte[] buf = new byte[64 * 1024];
        long n = 0;
        for (int k; n < MAX_DRAIN && (k = in.read(buf)) > 0; ) n += k;
        return n;
    }

    /** The request body as one JSON object ({} when empty); anything else is a 400 naming the body. */
    public static JsonNode jsonBody(HttpExchange ex) throws IOException {
        String text = body(ex);
        if (text.isBlank()) return JSON.objectNode();
        JsonNode n;
        try {
            n = io.orchide.model.codec.Trees.readJson(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw invalid("body", null, "not JSON: " + e.getMessage());
        }
        if (!n.isObject()) throw invalid("body", text.length() > 80 ? text.substring(0, 80) : text, "must be a JSON object");
        return n;
    }

    private static ApiException invalid(String field, String value, String message) {
        // the field and the value are said in the field error, once: the headline only says what kind of error it is
        return new ApiException(400, "invalid", "invalid request", java.util.List.of(new FieldError(field, value, message)));
    }

    public static Map<String, String> query(HttpExchange ex) {
        Map<String, String> q = new HashMap<>();
        String raw = ex.getRequestURI().getRawQuery();
        if (raw == null) return q;
        for (String kv : raw.split("&")) {
            int i = kv.indexOf('=');
            String k = URLDecoder.decode(i < 0 ? kv : kv.substring(0, i), StandardCharsets.UTF_8);
            String v = i < 0 ? "" : URLDecoder.decode(kv.substring(i + 1), StandardCharsets.UTF_8);
            q.put(k, v);
        }
        return q;
    }

    public static int intParam(Map<String, String> q, String name, int dflt, int min, int max) {
        String v = q.get(name);
        if (v == null || v.isEmpty()) return dflt;
        try {
            int n = Integer.parseInt(v);
            if (n >= min && n <= max) return n;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ApiException(400, "invalid", "invalid query parameter",
                java.util.List.of(new FieldError(name, v, "must be an integer from " + min + " to " + max)));
    }

    public static void send(HttpExchange ex, int status, JsonNode body) throws IOException {
        byte[] b = Trees.toJsonBytes(body, true);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    public static void error(HttpExchange ex, ApiException e) throws IOException {
        ObjectNode o = JSON.objectNode();
        o.put("code", e.code());
        o.put("message", e.getMessage());
        if (!e.errors().isEmpty()) {
            ArrayNode a = o.putArray("errors");
            for (FieldError fe : e.errors()) {
                ObjectNode n = a.addObject();
                n.put("field", fe.path());
                if (fe.value() != null) n.put("value", fe.value());
                n.put("message", fe.message());
            }
            o.put("field", e.errors().getFirst().path());
        }
        e.details(o);
        if (e.retryAfterSeconds() > 0) ex.getResponseHeaders().set("Retry-After", Long.toString(e.retryAfterSeconds()));
        send(ex, e.status(), o);
    }
}
