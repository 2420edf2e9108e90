package io.orchide.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import io.orchide.node.broker.Leases;
import io.orchide.node.device.DevicesFile;
import io.orchide.node.workload.Capacity;
import io.orchide.runtime.process.BwrapDriver;
import io.orchide.testkit.BrokerClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real process step (bubblewrap) of a pipeline that a grant names reaches the broker through {@code $ORCHIDE_BROKER}
 * as that pipeline: its configure waits for the camera's lease at the pipeline's priority, and is audited as the
 * pipeline's. A step of a pipeline no grant names, and an App that labels itself as the granted pipeline's step, get
 * no broker.
 */
class BrokerStepTest {
    /** Prints "broker: none" without the variable, else the broker's answer to one configure of camera-1. */
    private static final String CLIENT = BrokerClient.workloadProgram(
            "{\"id\": 3, \"verb\": \"configure\", \"device\": \"camera-1\", \"properties\": {\"gain\": \"4\"}}");

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private NodeAgent agent;

    private HttpResponse<String> call(String method, String path, String body) throws Exception {
        return AgentCalls.call(agent, dir, method, path, body);
    }

    private void apply(String manifest) throws Exception {
        HttpResponse<String> r = call("POST", "/api/v1/apply", manifest);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }

    private static String pipeline(String name, int priority) {
        return """
                apiVersion: orchide.io/v1
                kind: Pipeline
                metadata: {name: %s, tenant: ocean-team}
                spec:
                  priority: %d
                  steps:
                    - name: tune
                      template:
                        image: /usr/bin/python3
                        runtime: {family: process, monitor: bwrap}
                        args: [-c, %s]
                """.formatted(name, priority, TextNode.valueOf(CLIENT).toString());
    }

    private String run(String pipeline) throws Exception {
        HttpResponse<String> r = call("POST", "/api/v1/pipelines/" + pipeline + "/runs", "{}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return JSON.readTree(r.body()).path("name").asText();
    }

    private String stepLog(String run) throws Exception {
        return call("GET", "/api/v1/runs/" + run + "/logs?step=tune", null).body();
    }

    private JsonNode waitForEnd(String run) throws Exception {
        HttpResponse<String> r = call("GET", "/api/v1/runs/" + run + "/wait?timeoutSeconds=60", null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    @Test
    void aGrantedPipelinesProcessStepAsksTheBrokerAsThePipelineAtItsPriority() throws Exception {
        DevicesFile devices = DevicesFile.parse("""
                discover: false
                devices: [{name: camera-1, class: camera, properties: {gain: "2"}}]
                """);
        agent = NodeAgent.start(new NodeConfig(dir, new InetSocketAddress("127.0.0.1", 0), new Capacity(2, 512), null, null,
                64 * 1024, null, null, null, null, devices, null), rc -> List.of(new BwrapDriver(rc)));
        try {
            apply("""
                    apiVersion: orchide.io/v1
                    kind: DeviceGrant
                    metadata: {name: ship-camera, tenant: ocean-team}
                    spec: {device: camera-1, pipelines: [ship-detect], verbs: [read, configure]}
                    """);
            apply(pipeline("ship-detect", 70));
            apply(pipeline("plain", 70));

            // another workload holds the camera: the step's configure waits for it, as pipeline ship-detect at 70
            Leases.Lease held = agent.broker().leases().acquire("camera-1", "fire-team/app/other", 10).join();
            String run = run("ship-detect");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                JsonNode camera = JSON.readTree(call("GET", "/api/v1/devices/camera-1", null).body());
                assertThat(camera.toString()).contains("{\"holder\":\"ocean-team/pipeline/ship-detect\",\"priority\":70}");
            });
            assertThat(stepLog(run)).doesNotContain("broker:");
            agent.broker().leases().release(held);

            assertThat(waitForEnd(run).path("state").asText()).isEqualTo("succeeded");
            assertThat(stepLog(run)).contains("broker: /run/orchide/broker.sock ", "\"id\":3", "\"ok\":true",
                    "\"grant\":\"ship-camera\"", "\"desired\":{\"gain\":\"4\"}");
            JsonNode audit = JSON.readTree(call("GET", "/api/v1/audit?limit=50", null).body()).path("items");
            assertThat(audit.toString()).contains("\"verb\":\"configure\",\"kind\":\"Device\",\"name\":\"camera-1\","
                    + "\"tenant\":\"ocean-team\",\"outcome\":\"allowed\",\"reason\":\"pipeline ship-detect: ");

            String other = run("plain");
            assertThat(waitForEnd(other).path("state").asText()).isEqualTo("succeeded");
            assertThat(stepLog(other)).contains("broker: none");

            // an App's labels are its author's: naming the granted pipeline there gives it nothing
            apply("""
                    apiVersion: orchide.io/v1
                    kind: App
                    metadata:
                      name: spoof
                      tenant: ocean-team
                      labels: {orchide.io/pipeline: ship-detect, orchide.io/run: ship-detect-1, orchide.io/step: tune}
                    spec:
                      image: /usr/bin/python3
                      runtime: {family: process, monitor: bwrap}
                      args: [-c, %s]
                      restart: {policy: Never}
                    """.formatted(TextNode.valueOf(CLIENT).toString()));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(call("GET", "/api/v1/workloads/spoof/logs", null).body()).contains("broker: none"));
        } finally {
            agent.close();
        }
    }
}
