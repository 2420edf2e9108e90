package io.orchide.cli.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** The agent's API read directly, for what the tests check in detail (step attempts, lineage). */
final class NodeHttp {
    static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final String server;
    private final String token;

    NodeHttp(String server) {
        this(server, null);
    }

    /** @param token sent as {@code Authorization: Bearer} with every call; null for none */
    NodeHttp(String server, String token) {
        this.server = server;
        this.token = token;
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server + path));
        return token == null ? b : b.header("Authorization", "Bearer " + token);
    }

    JsonNode get(String path) throws Exception {
        return send(request(path).GET());
    }

    JsonNode delete(String path) throws Exception {
        return send(request(path).DELETE());
    }

    /** Like {@link #get}, but a 404 (not there yet) reads as a missing node. */
    JsonNode getOrMissing(String path) throws Exception {
        HttpResponse<String> r = http.send(request(path).timeout(Duration.ofSeconds(120))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 404) return JSON.missingNode();
        if (r.statusCode() >= 300) throw new AssertionError("HTTP " + r.statusCode() + ": " + r.body());
        return JSON.readTree(r.body());
    }

    JsonNode post(String path, String body) throws Exception {
        return send(request(path)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private JsonNode send(HttpRequest.Builder b) throws Exception {
        HttpResponse<String> r = http.send(b.timeout(Duration.ofSeconds(120)).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode n = JSON.readTree(r.body());
        if (r.statusCode() >= 300) throw new AssertionError("HTTP " + r.statusCode() + ": " + r.body());
        return n;
    }

    JsonNode run(String name) throws Exception {
        return get("/api/v1/runs/" + name);
    }

    /** Every run, newest first. */
    List<JsonNode> runs() throws Exception {
        List<JsonNode> out = new ArrayList<>();
        get("/api/v1/runs?limit=100000").path("items").forEach(out::add);
        return out;
    }

    /** The attempts of {@code step} in a run's details. */
    static List<JsonNode> attempts(JsonNode run, String step) {
        List<JsonNode> out = new ArrayList<>();
        run.path("stepRuns").forEach(s -> {
            if (s.path("step").asText().equals(step)) out.add(s);
        });
        return out;
    }

    /** Polls {@code read} until {@code done} holds, for at most {@code seconds}. */
    static <T> T await(int seconds, ThrowingSupplier<T> read, Predicate<T> done) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        T v = read.get();
        while (!done.test(v)) {
            if (System.nanoTime() > end) throw new AssertionError("not reached within " + seconds + " s: " + v);
            TimeUnit.MILLISECONDS.sleep(50);
            v = read.get();
        }
        return v;
    }

    @FunctionalInterface
    interface ThrowingSupplier<T> {
        T get() throws Exception;
    }
}
