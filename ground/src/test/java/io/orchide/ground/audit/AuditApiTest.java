package io.orchide.ground.audit;

import com.fasterxml.jackson.databind.JsonNode;
import io.orchide.ground.FakeUplink;
import io.orchide.ground.GroundConfig;
import io.orchide.ground.GroundServer;
import io.orchide.model.codec.Trees;
import io.orchide.testkit.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** GET /api/v1/audit and /api/v1/audit/verify over real HTTP, on a ground on SQLite. */
class AuditApiTest {
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @TempDir
    Path tmp;
    MutableClock clock = new MutableClock(T0);
    GroundServer ground;
    HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        ground = GroundServer.start(GroundConfig.builder()
                .dataDir(tmp)
                .listen(new InetSocketAddress("127.0.0.1", 0))
                .clock(clock)
                .build()
                .withAuthBypassedForTests(), new FakeUplink(clock));
        // entry i: an hour apart, ocean-team's except the fleet-wide 3rd, the 2nd and 4th denied
        for (int i = 1; i <= 4; i++) {
            ground.audit().append(new AuditEntry(i == 2 ? "mallory" : "alice", i == 3 ? null : "ocean-team",
                    i == 3 ? "create" : "get", i == 3 ? "tenants/fire-team" : "satellites/sat-1/products",
                    i % 2 == 0 ? Outcome.DENIED : Outcome.ALLOWED, "192.0.2." + i, i % 2 == 0 ? "not bound in ocean-team" : null));
            clock.advance(Duration.ofHours(1));
        }
    }

    @AfterEach
    void stop() {
        ground.close();
    }

    record Reply(int status, JsonNode json) {
    }

    Reply get(String path) throws Exception {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + ground.apiAddress().getPort() + path)).build(), HttpResponse.BodyHandlers.ofByteArray());
        return new Reply(r.statusCode(), Trees.readJson(r.body()));
    }

    static List<Long> seqs(Reply r) {
        List<Long> out = new ArrayList<>();
        r.json().path("items").forEach(n -> out.add(n.path("seq").asLong()));
        return out;
    }

    @Test
    void listsNewestFirstWithEveryField() throws Exception {
        Reply r = get("/api/v1/audit");
        assertThat(r.status()).isEqualTo(200);
        assertThat(seqs(r)).containsExactly(4L, 3L, 2L, 1L);
        JsonNode second = r.json().path("items").get(2);
        assertThat(second.path("time").asText()).isEqualTo(T0.plus(Duration.ofHours(1)).toString());
        assertThat(second.path("actor").asText()).isEqualTo("mallory");
        assertThat(second.path("tenant").asText()).isEqualTo("ocean-team");
        assertThat(second.path("verb").asText()).isEqualTo("get");
        assertThat(second.path("resource").asText()).isEqualTo("satellites/sat-1/products");
        assertThat(second.path("outcome").asText()).isEqualTo("denied");
        assertThat(second.path("source").asText()).isEqualTo("192.0.2.2");
        assertThat(second.path("detail").asText()).isEqualTo("not bound in ocean-team");
        assertThat(second.path("hash").asText()).hasSize(64);
        assertThat(r.json().path("items").get(1).path("tenant").isNull()).isTrue();
        assertThat(r.json().path("next").isNull()).isTrue();
    }

    @Test
    void filtersAndPages() throws Exception {
        assertThat(seqs(get("/api/v1/audit?outcome=denied"))).containsExactly(4L, 2L);
        assertThat(seqs(get("/api/v1/audit?tenant=ocean-team&actor=alice"))).containsExactly(4L, 1L);
        assertThat(seqs(get("/api/v1/audit?since=2h"))).containsExactly(4L, 3L); // now is T0 + 4h
        assertThat(seqs(get("/api/v1/audit?since=30m"))).isEmpty();
        Reply page = get("/api/v1/audit?limit=3");
        assertThat(seqs(page)).containsExactly(4L, 3L, 2L);
        assertThat(page.json().path("next").asLong()).isEqualTo(2);
        assertThat(seqs(get("/api/v1/audit?limit=3&before=2"))).containsExactly(1L);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "since=1x|since|1x",
            "since=0h|since|0h",
            "outcome=maybe|outcome|maybe",
            "limit=0|limit|0",
            "limit=many|limit|many",
            "before=-3|before|-3",
            "tenant=Ocean_Team|tenant|Ocean_Team",
            "satellite=sat-1|satellite|sat-1"})
    void aBadParameterIsRefusedNamingItAndItsValue(String query, String field, String value) throws Exception {
        Reply r = get("/api/v1/audit?" + query);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().path("code").asText()).isEqualTo("invalid");
        assertThat(r.json().path("errors").get(0).path("field").asText()).isEqualTo(field);
        assertThat(r.json().path("errors").get(0).path("value").asText()).isEqualTo(value);
        assertThat(r.json().path("message").asText()).startsWith(field + ": ");
    }

    @Test
    void verifySaysIntactThenNamesADeletedEntry() throws Exception {
        Reply ok = get("/api/v1/audit/verify");
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.json().path("intact").asBoolean()).isTrue();
        assertThat(ok.json().path("checked").asLong()).isEqualTo(4);
        assertThat(ok.json().path("head").path("seq").asLong()).isEqualTo(4);
        assertThat(ok.json().path("anchor").path("seq").asLong()).isZero();

        ground.database().tx(c -> io.orchide.ground.store.Sql.update(c, "DELETE FROM audit_entry WHERE seq = 2"));

        Reply bad = get("/api/v1/audit/verify");
        assertThat(bad.json().path("intact").asBoolean()).isFalse();
        assertThat(bad.json().path("broken").path("kind").asText()).isEqualTo("missing");
        assertThat(bad.json().path("broken").path("seq").asLong()).isEqualTo(2);
    }

    @Test
    void aScopeNarrowsEveryQueryToWhatItsCallerMayRead() throws Exception {
        io.orchide.web.ApiServer api = new io.orchide.web.ApiServer(new InetSocketAddress("127.0.0.1", 0));
        new AuditApi(ground.audit(), clock, (ex, q) -> q.withTenant("fire-team")).register(api);
        api.start();
        try {
            ground.audit().append(new AuditEntry("bob", "fire-team", "get", "satellites/sat-2/products", Outcome.ALLOWED,
                    null, null));
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + api.address().getPort() + "/api/v1/audit?tenant=ocean-team")).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(seqs(new Reply(r.statusCode(), Trees.readJson(r.body())))).containsExactly(5L);
        } finally {
            api.close();
        }
    }
}
