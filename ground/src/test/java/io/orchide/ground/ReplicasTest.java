package io.orchide.ground;

import io.orchide.testkit.TestPostgres;
import io.orchide.testkit.MutableClock;
import com.fasterxml.jackson.databind.JsonNode;
import io.orchide.model.codec.Trees;
import io.orchide.model.message.BundleKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** Two ground replicas on one PostgreSQL: one state, one bundle per change. */
class ReplicasTest {
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @TempDir
    Path tmp;
    final HttpClient http = HttpClient.newHttpClient();

    HttpResponse<byte[]> call(GroundServer g, String method, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + g.apiAddress().getPort() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    JsonNode json(HttpResponse<byte[]> r) throws Exception {
        return Trees.readJson(r.body());
    }

    @Test
    void twoReplicasOnOnePostgresShareStateAndSendEachChangeOnce() throws Exception {
        String url = TestPostgres.newDatabase();
        MutableClock clock = new MutableClock(T0);
        FakeUplink link = new FakeUplink(clock); // the link's store is shared too: idempotent by bundle id across both
        try (GroundServer a = GroundServer.start(GroundConfig.builder()
                .dataDir(tmp.resolve("a"))
                .dbUrl(url)
                .listen(new InetSocketAddress("127.0.0.1", 0))
                .clock(clock)
                .build().withAuthBypassedForTests(), link);
             GroundServer b = GroundServer.start(GroundConfig.builder()
                     .dataDir(tmp.resolve("b"))
                     .dbUrl(url)
                     .listen(new InetSocketAddress("127.0.0.1", 0))
                     .clock(clock)
                     .build().withAuthBypassedForTests(), link)) {
            assertThat(a.database().toString()).startsWith("postgresql");

            // apply through A, read through B
            assertThat(call(a, "POST", "/api/v1/satellites/sat-1/apply", Fixtures.APP).statusCode()).isEqualTo(201);
            JsonNode desired = json(call(b, "GET", "/api/v1/satellites/sat-1/desired", null));
            assertThat(desired.path("items")).hasSize(1);
            assertThat(desired.path("items").get(0).path("generation").asInt()).isEqualTo(1);
            // a change through B continues A's count
            JsonNode changed = json(call(b, "POST", "/api/v1/satellites/sat-1/apply", Fixtures.APP_CHANGED));
            assertThat(changed.path("items").get(0).path("generation").asInt()).isEqualTo(2);

            // a change the link did not take yet: both replicas' outboxes hand it over, it is queued once
            link.failing = true;
            JsonNode third = json(call(a, "POST", "/api/v1/satellites/sat-1/apply", Fixtures.PIPELINE));
            String id = third.path("items").get(0).path("bundle").asText();
            assertThat(id).isEqualTo("desired.sat-1.Pipeline.scan.1");
            assertThat(link.ids()).doesNotContain(id);
            link.failing = false;
            CompletableFuture<Integer> fa = CompletableFuture.supplyAsync(() -> a.outbox().flush());
            CompletableFuture<Integer> fb = CompletableFuture.supplyAsync(() -> b.outbox().flush());
            assertThat(fa.get() + fb.get()).isBetween(1, 2);
            assertThat(link.calls().stream().filter(id::equals).count()).isBetween(1L, 2L);
            assertThat(link.ids()).containsExactly("desired.sat-1.App.hello.1", "desired.sat-1.App.hello.2", id);
            assertThat(a.outbox().pending()).isEmpty();

            // a contact and a product delivered to A are served by B
            a.linkEvents().contactOpened(Fixtures.contact("sat-1", "n1", T0));
            byte[] content = Fixtures.bytes("{\"ships\": 7}");
            byte[] payload = Fixtures.product(3, "scan-1", content, T0).encode();
            a.intake().deliver(Fixtures.bundle("product.sat-1.3", "sat-1", BundleKind.PRODUCT.wire(), payload, T0), payload);
            b.intake().deliver(Fixtures.bundle("product.sat-1.3", "sat-1", BundleKind.PRODUCT.wire(), payload, T0), payload);
            JsonNode sats = json(call(b, "GET", "/api/v1/satellites", null));
            assertThat(sats.path("items").get(0).path("nodes").get(0).asText()).isEqualTo("n1");
            JsonNode products = json(call(b, "GET", "/api/v1/products", null));
            assertThat(products.path("items")).hasSize(1);
            long pid = products.path("items").get(0).path("id").asLong();
            assertThat(call(b, "GET", "/api/v1/products/" + pid + "/content", null).body()).isEqualTo(content);
        }
    }
}
