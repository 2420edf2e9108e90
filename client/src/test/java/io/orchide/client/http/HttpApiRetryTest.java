package io.orchide.client.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A server answering 503 database_unavailable with Retry-After, as ground does while its database is away: a GET or
 * DELETE is sent again after the pause it asks (within bounds), a POST never, and the user is told once.
 */
class HttpApiRetryTest {
    static final String UNAVAILABLE = "{\"code\":\"database_unavailable\",\"message\":\"ground's database is unavailable "
            + "(Connection to 127.0.0.1:5432 refused); try again in a few seconds\"}";

    private HttpServer http;
    private HttpApi api;
    /** How many of the next requests are answered 503 (with {@link #retryAfter}, when set). */
    private final AtomicInteger unavailableFor = new AtomicInteger();
    private volatile String retryAfter = "5";
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<Duration> pauses = new CopyOnWriteArrayList<>();
    private final List<String> notices = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/api/v1/", ex -> {
            requests.add(ex.getRequestMethod() + " " + ex.getRequestURI().getPath());
            ex.getRequestBody().readAllBytes();
            if (unavailableFor.getAndDecrement() > 0) {
                if (retryAfter != null) ex.getResponseHeaders().add("Retry-After", retryAfter);
                reply(ex, 503, UNAVAILABLE);
            } else {
                reply(ex, 200, "{\"items\":[{\"name\":\"sat-1\"}]}");
            }
        });
        http.start();
        api = new HttpApi(URI.create("http://127.0.0.1:" + http.getAddress().getPort()), Transfers.NONE, null,
                notices::add, pauses::add);
    }

    @AfterEach
    void stop() {
        http.stop(0);
    }

    private static void reply(HttpExchange ex, int status, String json) throws IOException {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    @Test
    void aGetAnswered503IsSentAgainAfterTheCappedPauseAndItsAnswerReturnedTellingTheUserOnce() {
        unavailableFor.set(2);
        assertThat(api.get("/api/v1/satellites").path("items").path(0).path("name").asText()).isEqualTo("sat-1");
        assertThat(requests).containsExactly("GET /api/v1/satellites", "GET /api/v1/satellites", "GET /api/v1/satellites");
        // Retry-After: 5 asks more than the longest pause
        assertThat(pauses).containsExactly(Duration.ofSeconds(3), Duration.ofSeconds(3));
        assertThat(notices).containsExactly(api.base() + " is unavailable (ground's database is unavailable (Connection to "
                + "127.0.0.1:5432 refused); try again in a few seconds); trying again for up to 10 s");
    }

    @Test
    void aServerStillUnavailableAfterAboutTenSecondsIsReportedWithIts503() {
        unavailableFor.set(100);
        retryAfter = "2";
        assertThatThrownBy(() -> api.get("/api/v1/satellites")).isInstanceOfSatisfying(ServerException.class, e -> {
            assertThat(e.status()).isEqualTo(503);
            assertThat(e.getMessage()).contains("ground's database is unavailable");
        });
        assertThat(pauses).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(2),
                Duration.ofSeconds(2), Duration.ofSeconds(2));
        assertThat(requests).hasSize(6);
        assertThat(notices).hasSize(1);
    }

    @Test
    void aDeleteIsSentAgainAndAPostNever() {
        unavailableFor.set(1);
        api.delete("/api/v1/satellites/sat-1/apps/hello");
        assertThat(requests).containsExactly("DELETE /api/v1/satellites/sat-1/apps/hello",
                "DELETE /api/v1/satellites/sat-1/apps/hello");

        requests.clear();
        pauses.clear();
        unavailableFor.set(1);
        assertThatThrownBy(() -> api.post("/api/v1/satellites/sat-1/apply", "kind: App"))
                .isInstanceOfSatisfying(ServerException.class, e -> assertThat(e.status()).isEqualTo(503));
        assertThat(requests).containsExactly("POST /api/v1/satellites/sat-1/apply");
        assertThat(pauses).isEmpty();
    }

    @Test
    void a503WithoutRetryAfterIsReportedAtOnce() {
        unavailableFor.set(1);
        retryAfter = null;
        assertThatThrownBy(() -> api.get("/api/v1/satellites")).isInstanceOf(ServerException.class);
        assertThat(requests).hasSize(1);
        assertThat(pauses).isEmpty();
        assertThat(notices).isEmpty();
    }

    @Test
    void theRetryAfterIsReadAsSecondsAndKeptWithinTheLongestPauseAndWhatIsLeft() {
        assertThat(HttpApi.retryPause("1", Duration.ofSeconds(10))).isEqualTo(Duration.ofSeconds(1));
        assertThat(HttpApi.retryPause("120", Duration.ofSeconds(10))).isEqualTo(HttpApi.MAX_RETRY_PAUSE);
        assertThat(HttpApi.retryPause("3", Duration.ofSeconds(2))).isEqualTo(Duration.ofSeconds(2));
        assertThat(HttpApi.retryPause("Wed, 21 Oct 2026 07:28:00 GMT", Duration.ofSeconds(10))).isEqualTo(HttpApi.MAX_RETRY_PAUSE);
        assertThat(HttpApi.retryPause("0", Duration.ofSeconds(10))).isEqualTo(Duration.ofMillis(100));
        assertThat(HttpApi.retryPause("1", Duration.ZERO)).isNull();
        assertThat(HttpApi.retryPause(null, Duration.ofSeconds(10))).isNull();
    }
}
