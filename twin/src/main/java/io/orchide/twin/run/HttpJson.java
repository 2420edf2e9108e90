package io.orchide.twin.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.orchide.model.codec.Trees;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The few JSON calls the twin makes to the APIs of the ground and nodes it runs. */
final class HttpJson {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final java.util.function.Supplier<String> token;

    HttpJson() {
        this(() -> null);
    }

    /** @param token the bearer token sent with each call, asked for at each call (null: none) */
    HttpJson(java.util.function.Supplier<String> token) {
        this.token = token;
    }

    JsonNode get(String url) throws IOException {
        return send(request(url).GET().build());
    }

    JsonNode post(String url, String json) throws IOException {
        return send(request(url)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    JsonNode delete(String url) throws IOException {
        return send(request(url).DELETE().build());
    }

    private HttpRequest.Builder request(String url) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT);
        String t = token.get();
        return t == null ? b : b.header("Authorization", "Bearer " + t);
    }

    /** What a GET of {@code url} answered, whatever its status: -1 and no body when nothing answered. */
    record Answer(int status, JsonNode body) {
    }

    Answer probe(String url, Duration timeout) {
        try {
            HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            JsonNode body;
            try {
                body = Trees.readJson(r.body());
            } catch (RuntimeException | IOException e) {
                body = null;
            }
            return new Answer(r.statusCode(), body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(-1, null);
        } catch (IOException e) {
            return new Answer(-1, null);
        }
    }

    private JsonNode send(HttpRequest req) throws IOException {
        HttpResponse<byte[]> r;
        try {
            r = client.send(req, HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (IOException e) { // a refused connection says nothing of itself: say what was called
            throw new IOException(req.method() + " " + req.uri() + ": " + e, e);
        }
        if (r.statusCode() / 100 != 2) {
            throw new IOException(req.method() + " " + req.uri() + ": HTTP " + r.statusCode() + " "
                    + new String(r.body(), java.nio.charset.StandardCharsets.UTF_8));
        }
        return Trees.readJson(r.body());
    }
}
