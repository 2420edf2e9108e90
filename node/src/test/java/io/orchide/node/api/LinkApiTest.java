package io.orchide.node.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orchide.link.LinkConfig;
import io.orchide.link.LinkEndpoint;
import io.orchide.link.LinkEvents;
import io.orchide.link.store.LinkStore;
import io.orchide.link.transport.TcpConvergenceLayer;
import io.orchide.node.NodeConfig;
import io.orchide.web.ApiServer;
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
import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;

/** The contact switch of a node's link to ground, as the twin and an operator use it. */
class LinkApiTest {
    @TempDir
    Path tmp;
    private final HttpClient http = HttpClient.newHttpClient();
    private LinkStore store;
    private LinkEndpoint endpoint;
    private ApiServer server;

    @BeforeEach
    void start() throws Exception {
        store = LinkStore.sqlite(tmp.resolve("link.db"));
        endpoint = LinkEndpoint.open(new LinkConfig("sat-1", "{}", 0, 0, 0, null, null, null, Clock.systemUTC()),
                store, new TcpConvergenceLayer(), (b, p) -> { }, new LinkEvents() { });
        endpoint.closeContact();
        server = new ApiServer(new InetSocketAddress("127.0.0.1", 0));
        new LinkApi(endpoint, new NodeConfig.GroundSettings("sat-1", "127.0.0.1:1", "n1", 0, null)).register(server);
        server.start();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        endpoint.close();
        store.close();
    }

    @Test
    void theContactOpensAndClosesAsAskedAndTheViewSaysSo() throws Exception {
        HttpResponse<String> r = post("{\"open\": true}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).path("contact").asText()).isEqualTo("open");
        assertThat(endpoint.contactOpen()).isTrue();

        assertThat(post("{\"open\": false}").statusCode()).isEqualTo(200);
        assertThat(endpoint.contactOpen()).isFalse();

        HttpResponse<String> view = http.send(HttpRequest.newBuilder(uri()).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(view.statusCode()).isEqualTo(200);
        JsonNode v = json(view);
        assertThat(v.path("contact").asText()).isEqualTo("closed");
        assertThat(v.path("satellite").asText()).isEqualTo("sat-1");
        assertThat(v.path("node").asText()).isEqualTo("n1");
        assertThat(v.path("ground").asText()).isEqualTo("127.0.0.1:1");
    }

    @Test
    void aBadSwitchIsRefusedNamingTheFieldAndChangesNothing() throws Exception {
        post("{\"open\": true}");
        HttpResponse<String> r = post("{\"open\": \"yes\"}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("open").contains("must be true or false").contains("yes");
        assertThat(post("{}").statusCode()).isEqualTo(400);
        assertThat(endpoint.contactOpen()).isTrue();
    }

    @Test
    void theViewNamesTheGroundAddressTheNodeIsOnAfterTheFirstRefusedIt() throws Exception {
        int dead;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            dead = s.getLocalPort(); // nothing listens there once closed
        }
        try (LinkStore gs = LinkStore.sqlite(tmp.resolve("ground-link.db"));
             LinkEndpoint ground = LinkEndpoint.open(LinkConfig.of("ground", "{}"), gs, new TcpConvergenceLayer(),
                     (b, p) -> { }, new LinkEvents() { })) {
            String live = ground.listen("127.0.0.1:0");
            String both = "127.0.0.1:" + dead + "," + live;
            try (LinkStore ns = LinkStore.sqlite(tmp.resolve("dialling.db"));
                 LinkEndpoint node = LinkEndpoint.open(new LinkConfig("sat-1", "{}", 0, 0, 0, null, null,
                         java.time.Duration.ofMillis(100), Clock.systemUTC()), ns, new TcpConvergenceLayer(), (b, p) -> { },
                         new LinkEvents() { });
                 ApiServer api = new ApiServer(new InetSocketAddress("127.0.0.1", 0))) {
                new LinkApi(node, new NodeConfig.GroundSettings("sat-1", both, "n1", 0, null)).register(api);
                api.start();
                node.dial(both);
                URI u = URI.create("http://127.0.0.1:" + api.address().getPort() + "/api/v1/link");
                org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).untilAsserted(() -> {
                    JsonNode v = json(http.send(HttpRequest.newBuilder(u).GET().build(), HttpResponse.BodyHandlers.ofString()));
                    assertThat(v.path("ground").asText()).isEqualTo(both);
                    assertThat(v.path("dial").path("current").asText()).isEqualTo(live);
                    assertThat(v.path("dial").path("connected").asBoolean()).isTrue();
                });
            }
        }
    }

    @Test
    void aGroundThatFallsSilentIsShownAsTheReasonTheSessionEnded() throws Exception {
        // a ground that opens the session, says it keeps it alive, then nothing: frozen, or its cable pulled
        io.orchide.link.wire.FrameCodec codec = new io.orchide.link.wire.FrameCodec(LinkConfig.DEFAULT_MAX_BUNDLE);
        try (java.net.ServerSocket frozen = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
             LinkStore ns = LinkStore.sqlite(tmp.resolve("dialling.db"));
             LinkEndpoint node = LinkEndpoint.open(new LinkConfig("sat-1", "{}", 0, 0, 0, null, null, null,
                     Clock.systemUTC(), java.time.Duration.ofMillis(200), java.time.Duration.ofSeconds(1)), ns,
                     new TcpConvergenceLayer(), (b, p) -> { }, new LinkEvents() { });
             ApiServer api = new ApiServer(new InetSocketAddress("127.0.0.1", 0))) {
            String address = "127.0.0.1:" + frozen.getLocalPort();
            java.util.List<java.net.Socket> held = new java.util.concurrent.CopyOnWriteArrayList<>();
            Thread.ofVirtual().start(() -> {
                try {
                    java.net.Socket s = frozen.accept();
                    held.add(s);
                    for (io.orchide.link.wire.Frame f : java.util.List.of(
                            new io.orchide.link.wire.Frame.Hello(io.orchide.link.wire.FrameCodec.VERSION, "ground", "{}"),
                            new io.orchide.link.wire.Frame.State(0, 0, java.util.List.of()),
                            new io.orchide.link.wire.Frame.Keepalive())) {
                        s.getOutputStream().write(codec.encode(f));
                    }
                } catch (java.io.IOException e) {
                    // the test ends
                }
            });
            new LinkApi(node, new NodeConfig.GroundSettings("sat-1", address, "n1", 0, null)).register(api);
            api.start();
            node.dial(address);
            URI u = URI.create("http://127.0.0.1:" + api.address().getPort() + "/api/v1/link");
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).untilAsserted(() -> {
                JsonNode v = json(http.send(HttpRequest.newBuilder(u).GET().build(), HttpResponse.BodyHandlers.ofString()));
                assertThat(v.path("peers")).anySatisfy(p -> {
                    assertThat(p.path("peer").asText()).isEqualTo("ground");
                    assertThat(p.path("lastSessionEnd").asText())
                            .startsWith("dead: nothing received from ground for ").endsWith("(idle timeout 1.0 s)");
                });
            });
            for (java.net.Socket s : held) s.close();
        }
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return new ObjectMapper().readTree(r.body());
    }

    private HttpResponse<String> post(String json) throws Exception {
        return http.send(HttpRequest.newBuilder(uri()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri() {
        return URI.create("http://127.0.0.1:" + server.address().getPort() + "/api/v1/link");
    }
}
