package io.orchide.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orchide.model.Accel;
import io.orchide.model.Monitor;
import io.orchide.node.broker.BrokerSockets;
import io.orchide.node.device.DevicesFile;
import io.orchide.node.layout.NodeLayout;
import io.orchide.node.workload.Capacity;
import io.orchide.node.workload.Solo5Tree;
import io.orchide.runtime.RuntimeConfig;
import io.orchide.runtime.solo5.Solo5Driver;
import io.orchide.testkit.Examples;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The solo5ask guest (examples/unikernels/solo5ask), started by the agent under the real {@code solo5-spt} from a
 * Solo5 build tree ({@code SOLO5_BUILD}), reaches the broker through the mailbox the agent attaches as its block
 * device {@code orchidebroker}: an app a grant names is answered (allowed, or refused for a verb the grant does not
 * give), a guest no grant names is refused when applied, saying why; each mailbox goes when its attempt ends.
 */
class BrokerSolo5Test {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Path tender;
    private Path image;
    private NodeAgent agent;

    @BeforeEach
    void needsASolo5Tree() throws Exception {
        tender = Solo5Tree.required().resolve("tenders/spt/solo5-spt");
        image = Examples.make("examples/unikernels/solo5ask").resolve("build/solo5ask.spt");
    }

    private HttpResponse<String> call(String method, String path, String body) throws Exception {
        return AgentCalls.call(agent, dir, method, path, body);
    }

    private void apply(String manifest) throws Exception {
        AgentCalls.apply(agent, dir, manifest);
    }

    private String guestSpec(String request) {
        return """
                  image: %s
                  runtime: {family: mirage, monitor: solo5-spt}
                  args: ['%s']
                  resources: {vcpus: 1, memoryMiB: 16}
                """.formatted(image, request);
    }

    private void app(String name, String request) throws Exception {
        AgentCalls.applyApp(agent, dir, name, guestSpec(request));
    }

    private String logsOnceAnswered(String workload) {
        return AgentCalls.logsOnceContaining(agent, dir, workload, "solo5_exit(");
    }

    @Test
    void aGrantedSolo5GuestAsksThroughItsMailboxAndOneNoGrantNamesIsRefusedSayingWhy() throws Exception {
        DevicesFile devices = DevicesFile.parse("""
                discover: false
                devices: [{name: gnss-1, class: gnss, properties: {rate: "1Hz"}}]
                """);
        agent = NodeAgent.start(new NodeConfig(dir, new InetSocketAddress("127.0.0.1", 0), new Capacity(4, 512), Accel.AUTO,
                null, 64 * 1024, null, null, null, null, devices, null),
                rc -> List.of(new Solo5Driver(new RuntimeConfig(rc.shim(), Map.of(Monitor.SOLO5_SPT, tender), rc.accel(),
                        rc.logMaxBytes(), rc.stateDir()))));
        try {
            apply("""
                    apiVersion: orchide.io/v1
                    kind: DeviceGrant
                    metadata: {name: ask-gnss, tenant: ocean-team}
                    spec: {device: gnss-1, apps: [asker, prier], verbs: [read]}
                    """);
            app("asker", "{\"id\": 7, \"verb\": \"read\", \"device\": \"gnss-1\"}");
            app("prier", "{\"id\": 8, \"verb\": \"configure\", \"device\": \"gnss-1\"}");

            assertThat(logsOnceAnswered("asker")).contains("solo5ask: answer: {\"id\":7,\"ok\":true,\"grant\":\"ask-gnss\"",
                    "solo5_exit(0)");
            assertThat(logsOnceAnswered("prier")).contains("\"id\":8", "\"code\":\"verb_not_granted\"", "solo5_exit(1)");
            // a guest no grant names cannot start without the device its image declares: applying it says why
            HttpResponse<String> outsider = call("POST", "/api/v1/apply", """
                    apiVersion: orchide.io/v1
                    kind: App
                    metadata: {name: outsider, tenant: ocean-team}
                    spec:
                    %s  restart: {policy: Never}
                    """.formatted(guestSpec("{}")));
            assertThat(outsider.statusCode()).isEqualTo(422);
            assertThat(outsider.body()).contains("\"field\" : \"spec.image\"",
                    "declares the block device 'orchidebroker' to ask the broker, but no grant of tenant ocean-team names app outsider");
            assertThat(call("GET", "/api/v1/workloads/outsider", null).statusCode()).isEqualTo(404);
            // each attempt's mailbox goes with it
            Path asker = BrokerSockets.mailboxesOf(NodeLayout.of(dir).brokerSocket("app", "asker"));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(asker).isEmptyDirectory());

            JsonNode audit = JSON.readTree(call("GET", "/api/v1/audit?limit=50", null).body()).path("items");
            List<String> decisions = audit.findParents("origin").stream()
                    .filter(n -> n.path("origin").asText().equals("broker"))
                    .map(n -> n.path("verb").asText() + " " + n.path("outcome").asText() + " "
                            + n.path("reason").asText().replaceFirst(":.*", ""))
                    .toList();
            assertThat(decisions).containsExactlyInAnyOrder("read allowed app asker", "configure refused app prier");
        } finally {
            agent.close();
        }
    }
}
