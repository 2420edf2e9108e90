package io.orchide.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Talks JSON to a node's (later: ground's) API; turns error replies into {@link CliException}s. */
final class ApiClient {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String DEFAULT_SERVER = "http://127.0.0.1:7100";

    private final URI base;
    private final HttpClient http;

    ApiClient(String server) {
        String s = server == null || server.isBlank() ? DEFAULT_SERVER : server.strip();
        if (!s.contains("://")) s = "http://" + s;
        this.base = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    URI base() { return base; }

    JsonNode get(String path) { return get(path, Duration.ofSeconds(60)); }

    JsonNode get(String path, Duration timeout) { return call(HttpRequest.newBuilder(uri(path)).timeout(timeout).GET()); }

    JsonNode post(String path, String body) {
        return call(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/yaml")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    JsonNode post(String path, JsonNode body) {
        return call(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
    }

    JsonNode delete(String path) { return call(HttpRequest.newBuilder(uri(path)).DELETE()); }

    /** Streams a plain-text response body (logs) to the caller. */
    InputStream stream(String path) {
        try {
            HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(uri(path)).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            if (r.statusCode() >= 400) {
                try (InputStream in = r.body()) {
                    throw CliException.fromReply(r.statusCode(), JSON.readTree(in));
                }
            }
            return r.body();
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        }
    }

    private JsonNode call(HttpRequest.Builder b) {
        try {
            HttpRequest req = b.build();
            if (req.timeout().isEmpty()) req = b.timeout(Duration.ofSeconds(60)).build();
            HttpResponse<String> r = http.send(req,
                    HttpResponse.BodyHandlers.ofString());
            JsonNode body = r.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(r.body());
            if (r.statusCode() >= 400) throw CliException.fromReply(r.statusCode(), body);
            return body;
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        }
    }

    private CliException unreachable(IOException e) {
        String why = e instanceof ConnectException ? "connection refused" : String.valueOf(e.getMessage());
        return new CliException("cannot reach " + base + " (" + why + "): is `orchide node` running there? "
                + "Set ORCHIDE_SERVER or --server to its --listen address");
    }

    /** {@code ?k=v&...} from key, value pairs, values URL-encoded, null values left out; "" when none is left. */
    static String query(String... keyValues) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            if (keyValues[i + 1] == null) continue;
            b.append(b.isEmpty() ? '?' : '&').append(keyValues[i]).append('=')
                    .append(java.net.URLEncoder.encode(keyValues[i + 1], java.nio.charset.StandardCharsets.UTF_8));
        }
        return b.toString();
    }

    private URI uri(String path) { return URI.create(base + path); }
}
