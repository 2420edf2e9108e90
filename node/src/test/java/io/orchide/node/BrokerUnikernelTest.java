package io.orchide.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orchide.model.Accel;
import io.orchide.node.device.DevicesFile;
import io.orchide.node.workload.Capacity;
import io.orchide.runtime.qemu.QemuDriver;
import io.orchide.testkit.Examples;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The brokerask unikernel (examples/unikernels/brokerask), booted by the agent under real qemu (TCG), reaches the
 * broker through the request directory the agent shares with it as the 9p tag {@code orchide-broker}: an app a grant
 * names is answered (allowed, or refused for a verb the grant does not give), a pipeline's unikernel step asks as its
 * pipeline, a workload no grant names has no share at all; every decision is in the audit.
 */
class BrokerUnikernelTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Path kernel;
    private NodeAgent agent;

    @BeforeEach
    void needsQemuAndKernel() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/qemu-system-x86_64")), "qemu-system-x86_64 is not installed");
        // a kernel that does not build fails the test with make's output: never a silent skip
        kernel = Examples.make("examples/unikernels/brokerask").resolve("build/brokerask-x86_64.elf");
    }

    private HttpResponse<String> call(String method, String path, String body) throws Exception {
        return AgentCalls.call(agent, dir, method, path, body);
    }

    private void apply(String manifest) throws Exception {
        AgentCalls.apply(agent, dir, manifest);
    }

    private String kernelSpec(String args) {
        return """
                  image: %s
                  runtime: {family: multiboot, monitor: qemu, arch: x86_64}
                  args: [%s]
                  resources: {vcpus: 1, memoryMiB: 32}
                """.formatted(kernel, args);
    }

    private void app(String name, String args) throws Exception {
        AgentCalls.applyApp(agent, dir, name, kernelSpec(args));
    }

    private String logsOnceEnded(String workload) {
        return AgentCalls.logsOnceContaining(agent, dir, workload, "brokerask: exit ");
    }

    @Test
    void aGrantedUnikernelAsksThroughItsRequestDirectoryAndOthersHaveNone() throws Exception {
        DevicesFile devices = DevicesFile.parse("""
                discover: false
                devices: [{name: camera-1, class: camera, properties: {gain: "2"}}]
                """);
        agent = NodeAgent.start(new NodeConfig(dir, new InetSocketAddress("127.0.0.1", 0), new Capacity(4, 512), Accel.TCG,
                null, 64 * 1024, null, null, null, null, devices, null), rc -> List.of(new QemuDriver(rc)));
        try {
            apply("""
                    apiVersion: orchide.io/v1
                    kind: DeviceGrant
                    metadata: {name: ask-camera, tenant: ocean-team}
                    spec: {device: camera-1, apps: [asker, prier], pipelines: [ship-detect], verbs: [read]}
                    """);
            app("asker", "verb=read, device=camera-1");
            app("prier", "verb=configure, device=camera-1, set=gain:9");
            app("outsider", "verb=read, device=camera-1");

            assertThat(logsOnceEnded("asker")).contains("brokerask: answer {\"id\":\"ask-", "\"ok\":true",
                    "\"grant\":\"ask-camera\"", "\"desired\":{\"gain\":\"2\"}", "brokerask: exit 0");
            assertThat(logsOnceEnded("prier")).contains("\"ok\":false", "\"code\":\"verb_not_granted\"", "brokerask: exit 5");
            assertThat(logsOnceEnded("outsider")).contains("no broker: no virtio-9p device with mount tag \"orchide-broker\"",
                    "brokerask: exit 3");

            apply("""
                    apiVersion: orchide.io/v1
                    kind: Pipeline
                    metadata: {name: ship-detect, tenant: ocean-team}
                    spec:
                      priority: 60
                      steps:
                        - name: look
                          template:
                    %s""".formatted(kernelSpec("verb=read, device=camera-1").indent(8)));
            HttpResponse<String> r = call("POST", "/api/v1/pipelines/ship-detect/runs", "{}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
            String run = JSON.readTree(r.body()).path("name").asText();
            HttpResponse<String> ended = call("GET", "/api/v1/runs/" + run + "/wait?timeoutSeconds=60", null);
            assertThat(JSON.readTree(ended.body()).path("state").asText()).as(ended.body()).isEqualTo("succeeded");
            assertThat(call("GET", "/api/v1/runs/" + run + "/logs?step=look", null).body())
                    .contains("\"ok\":true", "\"grant\":\"ask-camera\"", "brokerask: exit 0");

            JsonNode audit = JSON.readTree(call("GET", "/api/v1/audit?limit=50", null).body()).path("items");
            List<String> decisions = audit.findParents("origin").stream()
                    .filter(n -> n.path("origin").asText().equals("broker"))
                    .map(n -> n.path("verb").asText() + " " + n.path("outcome").asText() + " "
                            + n.path("reason").asText().replaceFirst(":.*", ""))
                    .toList();
            assertThat(decisions).containsExactlyInAnyOrder("read allowed app asker", "configure refused app prier",
                    "read allowed pipeline ship-detect");
        } finally {
            agent.close();
        }
    }
}
