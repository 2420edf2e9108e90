package io.orchide.ground.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.orchide.model.codec.Trees;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Ground's API over real HTTP as one caller: {@code token} sent as a bearer (none when null). */
record Api(int port, String token) {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    record Reply(int status, JsonNode json, byte[] raw, HttpResponse<byte[]> response) {
        String code() { return json == null ? null : json.path("code").asText(); }
    }

    Api as(String other) { return new Api(port, other); }

    Reply call(String method, String path, String body) throws Exception {
        return send(method, path, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body), null);
    }

    Reply send(String method, String path, HttpRequest.BodyPublisher body, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).method(method, body);
        if (authorization != null) b.header("Authorization", authorization);
        else if (token != null) b.header("Authorization", "Bearer " + token);
        HttpResponse<byte[]> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        JsonNode json = null;
        if (r.headers().firstValue("Content-Type").orElse("").startsWith("application/json") && r.body().length > 0) {
            json = Trees.readJson(r.body());
        }
        return new Reply(r.statusCode(), json, r.body(), r);
    }

    Reply get(String path) throws Exception { return call("GET", path, null); }

    Reply post(String path, String body) throws Exception { return call("POST", path, body); }

    Reply delete(String path) throws Exception { return call("DELETE", path, null); }

    /** A new token for {@code role} in {@code tenant} (null: fleet-wide), made by this caller; its secret. */
    String token(String tenant, String role, String ttl) throws Exception {
        Reply r = post("/api/v1/tokens", "{\"role\": \"" + role + "\"" + (tenant == null ? "" : ", \"tenant\": \"" + tenant + "\"")
                + (ttl == null ? "" : ", \"ttl\": \"" + ttl + "\"") + "}");
        if (r.status() != 201) throw new AssertionError("token not made: " + r.status() + " " + r.json());
        return r.json().path("token").asText();
    }
}
