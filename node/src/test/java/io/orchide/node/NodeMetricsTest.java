package io.orchide.node;

import io.orchide.link.LinkConfig;
import io.orchide.link.LinkEndpoint;
import io.orchide.link.LinkEvents;
import io.orchide.link.Outgoing;
import io.orchide.link.store.LinkStore;
import io.orchide.link.transport.TcpConvergenceLayer;
import io.orchide.node.api.NodeToken;
import io.orchide.node.layout.NodeLayout;
import io.orchide.node.workload.Capacity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The agent's /metrics: only for the node token's holders, and counting what the link carries by priority. */
class NodeMetricsTest {
    @TempDir
    Path dir;

    private HttpResponse<String> metrics(NodeAgent agent, boolean withToken) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.address().getPort() + "/metrics"));
        if (withToken) b.header("Authorization", "Bearer " + NodeToken.read(NodeLayout.of(dir.resolve("node")).token()).value());
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void metricsNeedTheNodeTokenAndCountBundlesFromGroundByPriority() throws Exception {
        try (LinkStore groundStore = LinkStore.sqlite(dir.resolve("ground-link.db"));
             LinkEndpoint ground = LinkEndpoint.open(LinkConfig.of("ground", "{}"), groundStore,
                     new TcpConvergenceLayer(), (bundle, payload) -> { }, LinkEvents.NONE)) {
            String address = ground.listen("127.0.0.1:0");
            NodeConfig cfg = new NodeConfig(dir.resolve("node"), new InetSocketAddress("127.0.0.1", 0),
                    new Capacity(2, 512), null, null, 64 * 1024, null, null,
                    new NodeConfig.GroundSettings("sat-1", address, "node-1", 0, null), null);
            try (NodeAgent agent = NodeAgent.start(cfg, rc -> List.of())) {
                HttpResponse<String> refused = metrics(agent, false);
                assertThat(refused.statusCode()).isEqualTo(401);
                assertThat(refused.body()).doesNotContain("orchide_");

                HttpResponse<String> first = metrics(agent, true);
                assertThat(first.statusCode()).isEqualTo(200);
                assertThat(first.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
                assertThat(first.body()).contains("orchide_node_info{version=\"" + NodeAgent.VERSION + "\",arch=\"")
                        .contains("orchide_workloads{state=\"Running\"} 0\n")
                        .contains("orchide_runs{state=\"queued\"} 0\n")
                        .contains("# TYPE orchide_trigger_latency_seconds histogram\n")
                        .contains("orchide_storage_reserve_bytes ")
                        .contains("orchide_node_vcpus{kind=\"capacity\"} 2\n")
                        .contains("# TYPE process_cpu_seconds_total counter\n")
                        .contains("process_resident_memory_bytes ");

                // a bundle of a kind the node does not take is still taken into custody and counted
                ground.send(new Outgoing("sat-1", "telemetry-probe", 40, Duration.ofHours(1), new byte[1234]));
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(metrics(agent, true).body())
                        .contains("orchide_link_bundles_total{direction=\"in\",priority=\"40\"} 1\n")
                        .contains("orchide_link_payload_bytes_total{direction=\"in\",priority=\"40\"} 1234\n")
                        .contains("orchide_link_connected 1\n")
                        // the node's first status report went down and ground took it
                        .containsPattern("orchide_link_bundles_total\\{direction=\"out\",priority=\"\\d+\"} [1-9]"));
            }
        }
    }
}
