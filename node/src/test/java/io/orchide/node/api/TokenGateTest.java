package io.orchide.node.api;

import io.orchide.testkit.MutableClock;
import io.orchide.web.ApiServer;
import io.orchide.web.Exchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The node token's check on the real HTTP server, as every route of the local API has it. */
class TokenGateTest {
    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private final AtomicInteger handled = new AtomicInteger();
    private final List<String> logged = new CopyOnWriteArrayList<>();
    private NodeToken token;
    private ApiServer server;

    @BeforeEach
    void start() throws Exception {
        token = NodeToken.loadOrCreate(dir.resolve("node.token"), new SecureRandom());
        server = new ApiServer(new InetSocketAddress("127.0.0.1", 0));
        server.gate(new TokenGate(token, new RefusalLog(new MutableClock(Instant.parse("2026-12-07T12:00:00Z")), logged::add)));
        server.route("GET", NodeApi.HEALTH, (ex, m) -> Exchange.send(ex, 200, Exchange.JSON.objectNode().put("status", "ok")))
                .route("POST", "/api/v1/apply", (ex, m) -> {
                    handled.incrementAndGet();
                    Exchange.send(ex, 201, Exchange.JSON.objectNode().put("result", "created"));
                });
        server.start();
    }

    @AfterEach
    void stop() { server.close(); }

    @Test
    void aCallWithoutATokenIsRefused401WithABearerChallengeAndReachesNoHandler() throws Exception {
        HttpResponse<String> r = apply(null);

        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        assertThat(r.body().replaceAll("\\s", "")).contains("\"code\":\"unauthenticated\"");
        assertThat(r.body()).contains("no token was sent")
                .contains("orchide node token --data-dir");
        assertThat(handled).hasValue(0);
    }

    @Test
    void aWrongTokenOrAnotherSchemeIsRefusedAsWell() throws Exception {
        String other = NodeToken.loadOrCreate(dir.resolve("other.token"), new SecureRandom()).value();
        for (String header : List.of("Bearer " + other, "Bearer " + token.value() + "x", "Bearer ",
                "Basic " + token.value(), token.value())) {
            HttpResponse<String> r = apply(header);

            assertThat(r.statusCode()).as(header).isEqualTo(401);
            assertThat(r.body()).as(header).contains("unauthenticated").doesNotContain(token.value());
        }
        assertThat(handled).hasValue(0);
    }

    @Test
    void theNodesTokenReachesTheRoute() throws Exception {
        assertThat(apply("Bearer " + token.value()).statusCode()).isEqualTo(201);
        assertThat(apply("bearer " + token.value()).statusCode()).isEqualTo(201); // the scheme is case-insensitive
        assertThat(handled).hasValue(2);
        assertThat(logged).isEmpty();
    }

    @Test
    void withoutATokenNoPathIsToldApartFromAnotherExceptTheLivenessProbe() throws Exception {
        HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(uri("/api/v1/no-such-thing")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> wrongMethod = http.send(HttpRequest.newBuilder(uri("/api/v1/apply")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(uri(NodeApi.HEALTH)).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(wrongMethod.statusCode()).isEqualTo(401);
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body().replaceAll("\\s", "")).isEqualTo("{\"status\":\"ok\"}");
    }

    @Test
    void refusalsAreLoggedWithTheirSourceOnceAMinute() throws Exception {
        for (int i = 0; i < 20; i++) apply(i % 2 == 0 ? null : "Bearer nope");

        assertThat(logged).containsExactly("API call refused from 127.0.0.1: no token was sent (POST /api/v1/apply)"
                + " (more from 127.0.0.1 are counted for 60 s)");
        assertThat(logged.getFirst()).doesNotContain(token.value());
    }

    private HttpResponse<String> apply(String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri("/api/v1/apply"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"kind\": \"App\"}"));
        if (authorization != null) b.header("Authorization", authorization);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.address().getPort() + path);
    }
}
