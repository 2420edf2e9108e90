package io.orchide.ground;

import io.orchide.testkit.TestPostgres;
import com.fasterxml.jackson.databind.JsonNode;
import io.orchide.link.Bundle;
import io.orchide.link.LinkConfig;
import io.orchide.link.LinkEndpoint;
import io.orchide.link.LinkEvents;
import io.orchide.link.Outgoing;
import io.orchide.link.store.LinkStore;
import io.orchide.model.codec.Trees;
import io.orchide.model.message.BundleKind;
import io.orchide.model.message.DesiredChange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A real ground (its own link endpoint over TCP, on its database) and a node-side link endpoint dialling it. */
class LiveLinkTest {
    @TempDir
    Path tmp;
    final HttpClient http = HttpClient.newHttpClient();

    JsonNode call(GroundServer g, String method, String path, String body) throws Exception {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + g.apiAddress().getPort() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        return Trees.readJson(r.body());
    }

    @Test
    void nodeDialsGroundRegistersReportsAndReceivesDesiredState() throws Exception {
        Clock clock = Clock.systemUTC();
        Map<String, byte[]> atNode = new ConcurrentHashMap<>();
        Map<String, String> kinds = new ConcurrentHashMap<>();
        GroundConfig gc = GroundConfig.builder()
                .dataDir(tmp.resolve("ground"))
                .listen(new InetSocketAddress("127.0.0.1", 0))
                .linkListen("127.0.0.1:0")
                .clock(clock)
                .build().withAuthBypassedForTests();
        try (GroundServer g = GroundServer.start(gc);
             LinkStore nodeStore = LinkStore.sqlite(tmp.resolve("node/link.db"));
             LinkEndpoint node = LinkEndpoint.open(LinkConfig.of("sat-1", Fixtures.info("n1")), nodeStore,
                     SecureNodes.layer(SecureNodes.groundKey(gc), SecureNodes.registered(g, "sat-1"), "sat-1"), (Bundle b, byte[] p) -> {
                         atNode.put(b.id(), p);
                         kinds.put(b.id(), b.kind());
                     }, LinkEvents.NONE)) {
            assertThat(g.linkAddress()).isNotNull();
            JsonNode apply = call(g, "POST", "/api/v1/satellites/sat-1/apply", Fixtures.APP);
            assertThat(apply.path("items").get(0).path("bundle").asText()).isEqualTo("desired.sat-1.App.hello.1");

            byte[] report = Fixtures.report("n1", clock.instant(), 2).encode();
            node.send(new Outgoing("ground", BundleKind.REPORT.wire(), 50, Duration.ofHours(1), report));
            assertThat(call(g, "POST", "/api/v1/link", "{\"open\": true}").path("contactOpen").asBoolean()).isTrue();
            node.openContact();
            node.dial(g.linkAddress());

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(call(g, "GET", "/api/v1/satellites/sat-1", null).path("nodes").path(0).path("arch").asText())
                            .isEqualTo("x86_64"));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(call(g, "GET", "/api/v1/satellites/sat-1/workloads", null).path("items")).hasSize(2));
            // the desired change applied before the contact reaches the node, under ground's id
            await().atMost(Duration.ofSeconds(30)).until(() -> kinds.containsValue(BundleKind.DESIRED.wire()));
            String id = kinds.entrySet().stream().filter(e -> e.getValue().equals(BundleKind.DESIRED.wire()))
                    .map(Map.Entry::getKey).findFirst().orElseThrow();
            assertThat(id).isEqualTo("desired.sat-1.App.hello.1");
            // sealed by ground's director key for this satellite, as the node opens it
            DesiredChange c = DesiredChange.decode(io.orchide.link.trust.DesiredStateSignature.open(atNode.get(id), "sat-1",
                    java.util.List.of(SecureNodes.groundKey(gc))));
            assertThat(c.kind()).isEqualTo("App");
            assertThat(c.name()).isEqualTo("hello");
            assertThat(c.generation()).isEqualTo(1);
            assertThat(call(g, "GET", "/api/v1/satellites/sat-1/desired", null).path("items").get(0).path("queued")
                    .asBoolean()).isTrue();
            JsonNode link = call(g, "GET", "/api/v1/link", null);
            assertThat(link.path("peers").findValuesAsText("peer")).contains("sat-1");
            assertThat(call(g, "POST", "/api/v1/link", "{\"open\": false}").path("contactOpen").asBoolean()).isFalse();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void groundRestartedMidTransferLosesAndDoublesNothing(String store) throws Exception {
        String dbUrl = store.equals("postgres") ? TestPostgres.newDatabase() : null;
        Clock clock = Clock.systemUTC();
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        GroundConfig cfg = GroundConfig.builder()
                .dataDir(tmp.resolve("ground-" + store))
                .dbUrl(dbUrl)
                .listen(new InetSocketAddress("127.0.0.1", 0))
                .linkListen("127.0.0.1:" + port)
                .clock(clock)
                .build().withAuthBypassedForTests();
        byte[] content = new byte[3 * 1024 * 1024];
        new java.util.Random(11).nextBytes(content);
        LinkConfig nodeCfg = new LinkConfig("sat-1", Fixtures.info("n1"), 1_000_000, 0, 0, null, null,
                Duration.ofMillis(200), clock);
        java.security.KeyPair nodeKeys = io.orchide.link.secure.KeyFiles.generate();
        try (LinkStore nodeStore = LinkStore.sqlite(tmp.resolve("node-" + store + "/link.db"));
             LinkEndpoint node = LinkEndpoint.open(nodeCfg, nodeStore,
                     SecureNodes.layer(SecureNodes.groundKey(cfg), nodeKeys, "sat-1"), (b, p) -> { }, LinkEvents.NONE)) {
            node.send("product.sat-1.n1.1", new Outgoing("ground", BundleKind.PRODUCT.wire(), 40, Duration.ofDays(1),
                    Fixtures.product(1, "scan-000001", content, clock.instant()).encode()));
            node.send(new Outgoing("ground", BundleKind.REPORT.wire(), 90, Duration.ofDays(1),
                    Fixtures.report("n1", clock.instant(), 3).encode()));
            GroundServer first = GroundServer.start(cfg);
            first.nodeKeys().register("sat-1", nodeKeys.getPublic(), "test");
            try {
                node.dial("127.0.0.1:" + port);
                // the report (higher priority) lands first; the product is cut off in the middle
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                        assertThat(call(first, "GET", "/api/v1/satellites/sat-1/workloads", null).path("items")).hasSize(3));
                await().atMost(Duration.ofSeconds(30)).until(() -> node.stats("ground").bytesSent() > 1_000_000);
            } finally {
                first.close();
            }
            assertThat(node.queued("ground")).extracting(Bundle::id).containsExactly("product.sat-1.n1.1");
            try (GroundServer second = GroundServer.start(cfg)) {
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                        assertThat(call(second, "GET", "/api/v1/products?satellite=sat-1", null).path("items")).hasSize(1));
                JsonNode p = call(second, "GET", "/api/v1/products?satellite=sat-1", null).path("items").get(0);
                HttpResponse<byte[]> got = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + second.apiAddress().getPort() + "/api/v1/products/" + p.path("id").asText() + "/content")).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                assertThat(got.body()).isEqualTo(content);
                await().atMost(Duration.ofSeconds(10)).until(() -> node.queued("ground").isEmpty());
                // resumed, not restarted: about one payload crossed, not two
                assertThat(node.stats("ground").bytesSent()).isLessThan(content.length + 2L * 1024 * 1024);
                assertThat(call(second, "GET", "/api/v1/satellites/sat-1/workloads", null).path("items")).hasSize(3);
                assertThat(call(second, "GET", "/api/v1/products", null).path("items")).hasSize(1);
            }
        }
    }
}
