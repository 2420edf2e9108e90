package io.orchide.ground.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.orchide.ground.FakeUplink;
import io.orchide.ground.GroundConfig;
import io.orchide.ground.GroundServer;
import io.orchide.ground.fleet.Fleet;
import io.orchide.model.codec.Trees;
import io.orchide.testkit.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /api/v1/satellites?limit=&after=}: the fleet in pages by name, every satellite once. */
class SatellitePagingTest {
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @TempDir
    Path tmp;
    GroundServer ground;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        MutableClock clock = new MutableClock(T0);
        ground = GroundServer.start(GroundConfig.builder().dataDir(tmp).listen(new InetSocketAddress("127.0.0.1", 0)).clock(clock)
                .build(), new FakeUplink(clock));
        ground.database().tx(c -> {
            for (int i = 6; i >= 0; i--) Fleet.ensure(c, "sat-" + i, T0);
            return null;
        });
    }

    @AfterEach
    void stop() {
        ground.close();
    }

    record Reply(int status, JsonNode json) {
    }

    Reply get(String path) throws Exception {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ground.apiAddress().getPort() + path))
                .header("Authorization", "Bearer " + Files.readString(tmp.resolve("admin.token")).strip()).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        return new Reply(r.statusCode(), Trees.readJson(r.body()));
    }

    static List<String> names(JsonNode page) {
        List<String> out = new ArrayList<>();
        page.path("items").forEach(n -> out.add(n.path("name").asText()));
        return out;
    }

    @Test
    void pagesFollowEachOtherByNameUntilNextIsNull() throws Exception {
        Reply first = get("/api/v1/satellites?limit=3");
        assertThat(names(first.json())).containsExactly("sat-0", "sat-1", "sat-2");
        assertThat(first.json().path("next").asText()).isEqualTo("sat-2");
        Reply second = get("/api/v1/satellites?limit=3&after=sat-2");
        assertThat(names(second.json())).containsExactly("sat-3", "sat-4", "sat-5");
        Reply last = get("/api/v1/satellites?limit=3&after=" + second.json().path("next").asText());
        assertThat(names(last.json())).containsExactly("sat-6");
        assertThat(last.json().path("next").isNull()).isTrue();
        // a page that ends exactly at the last satellite says so
        assertThat(get("/api/v1/satellites?limit=7").json().path("next").isNull()).isTrue();
        // after a name that is not a satellite: the ones after it by name
        assertThat(names(get("/api/v1/satellites?limit=2&after=sat-3a").json())).containsExactly("sat-4", "sat-5");
    }

    @Test
    void withoutLimitTheWholeFleetComesAsBefore() throws Exception {
        Reply all = get("/api/v1/satellites");
        assertThat(names(all.json())).hasSize(7);
        assertThat(all.json().has("next")).isFalse();
    }

    @Test
    void aBadLimitOrAfterIsRefusedNamingIt() throws Exception {
        for (String q : List.of("limit=0", "limit=1001", "limit=x")) {
            Reply r = get("/api/v1/satellites?" + q);
            assertThat(r.status()).as(q).isEqualTo(400);
            assertThat(r.json().path("field").asText()).isEqualTo("limit");
        }
        Reply bad = get("/api/v1/satellites?limit=2&after=Not_A_Name");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().path("errors").get(0).path("value").asText()).isEqualTo("Not_A_Name");
        Reply alone = get("/api/v1/satellites?after=sat-1");
        assertThat(alone.status()).isEqualTo(400);
        assertThat(alone.json().path("field").asText()).isEqualTo("after");
    }
}
