package io.orchide.node;

import io.orchide.node.api.NodeToken;
import io.orchide.node.device.DevicesFile;
import io.orchide.node.layout.NodeLayout;
import io.orchide.node.workload.Capacity;
import io.orchide.runtime.process.BwrapDriver;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Real process workloads (bubblewrap) on a node with one GPU, a fake one: a character device of major 240 (local use,
 * no driver) named like an NVIDIA GPU's node. The workload that asks for it sees it and is told its name; a second
 * one is refused while the first holds it, through an agent restart too, and gets it once the first is gone.
 */
class AcceleratorWorkloadTest {
    @TempDir
    Path dir;

    private NodeAgent agent;
    private Path gpu;

    @BeforeEach
    void fakeGpu() throws Exception {
        gpu = Files.createDirectories(dir.resolve("dev")).resolve("nvidia0");
        Process mk = new ProcessBuilder("mknod", gpu.toString(), "c", "240", "0").redirectErrorStream(true).start();
        Assumptions.assumeTrue(mk.waitFor() == 0, "mknod needs root: " + new String(mk.getInputStream().readAllBytes()));
    }

    private NodeAgent start() throws Exception {
        DevicesFile devices = DevicesFile.parse("""
                discover: false
                devices: [{name: gpu-0, class: gpu, path: %s}]
                """.formatted(gpu));
        return NodeAgent.start(new NodeConfig(dir.resolve("node"), new InetSocketAddress("127.0.0.1", 0),
                new Capacity(2, 512), null, null, 64 * 1024, null, null, null, null, devices, null),
                rc -> List.of(new BwrapDriver(rc)));
    }

    private HttpResponse<String> call(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.address().getPort() + path))
                .header("Authorization", "Bearer " + NodeToken.read(NodeLayout.of(dir.resolve("node")).token()).value())
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Says what it was given, then stays until stopped. */
    private static String app(String name) {
        return """
                apiVersion: orchide.io/v1
                kind: App
                metadata: {name: %s}
                spec:
                  image: /bin/sh
                  runtime: {family: process, monitor: bwrap}
                  args: [-c, 'echo "accel=$ORCHIDE_ACCELERATORS cuda=$CUDA_VISIBLE_DEVICES"; ls /dev/nvidia0; exec sleep 600']
                  resources:
                    accelerators: [{class: gpu, count: 1}]
                  restart: {policy: Never}
                """.formatted(name);
    }

    private void assertLogs(String name, String... expected) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(call("GET", "/api/v1/workloads/" + name + "/logs", null).body()).contains(expected));
    }

    private void delete(String name) throws Exception {
        assertThat(call("DELETE", "/api/v1/workloads/" + name, null).statusCode()).isBetween(200, 299);
        await().atMost(Duration.ofSeconds(20)).until(() -> call("GET", "/api/v1/workloads/" + name, null).statusCode() == 404);
    }

    @Test
    void theGpuHasOneHolderAtATimeAcrossAnAgentRestart() throws Exception {
        agent = start();
        try {
            assertThat(call("POST", "/api/v1/apply", app("detector")).statusCode()).isEqualTo(201);
            assertLogs("detector", "accel=gpu-0 cuda=0", "/dev/nvidia0");
            var gpu0 = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(call("GET", "/api/v1/devices", null).body()).path("items").get(0);
            assertThat(gpu0.path("name").asText()).isEqualTo("gpu-0");
            assertThat(gpu0.path("class").asText()).isEqualTo("gpu");
            assertThat(gpu0.path("leasedBy").asText()).isEqualTo("detector");

            HttpResponse<String> refused = call("POST", "/api/v1/apply", app("classifier"));
            assertThat(refused.statusCode()).isEqualTo(422);
            assertThat(refused.body()).contains("spec.resources.accelerators")
                    .contains("no free accelerator of class gpu (gpu-0 held by detector)");
            assertThat(call("GET", "/api/v1/workloads/classifier", null).statusCode()).as("nothing stored").isEqualTo(404);

            agent.close();
            agent = start(); // detector runs on, re-adopted: its GPU stays its own
            assertThat(call("POST", "/api/v1/apply", app("classifier")).body()).contains("gpu-0 held by detector");

            delete("detector");
            assertThat(call("POST", "/api/v1/apply", app("classifier")).statusCode()).isEqualTo(201);
            assertLogs("classifier", "accel=gpu-0 cuda=0", "/dev/nvidia0");
            delete("classifier");
        } finally {
            for (String w : List.of("detector", "classifier")) { // no sleeper outlives a failed test
                call("DELETE", "/api/v1/workloads/" + w, null);
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> call("GET", "/api/v1/workloads/" + w, null).statusCode() == 404);
            }
            agent.close();
        }
    }

    @Test
    void theGpuARunReservedIsRefusedToAnAppUntilTheRunEndsAcrossAnAgentRestart() throws Exception {
        agent = start();
        String run = null;
        try {
            String pipeline = """
                    apiVersion: orchide.io/v1
                    kind: Pipeline
                    metadata: {name: detect}
                    spec:
                      steps:
                        - name: fetch
                          template:
                            image: /bin/sh
                            runtime: {family: process, monitor: bwrap}
                            args: [-c, 'exec sleep 600']
                            resources: {vcpus: 1, memoryMiB: 16}
                        - name: infer
                          after: [fetch]
                          template:
                            image: /bin/true
                            runtime: {family: process, monitor: bwrap}
                            resources: {vcpus: 1, memoryMiB: 16, accelerators: [{class: gpu}]}
                    """;
            assertThat(call("POST", "/api/v1/apply", pipeline).statusCode()).isLessThan(300);
            HttpResponse<String> started = call("POST", "/api/v1/pipelines/detect/runs", "{}");
            assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
            run = new com.fasterxml.jackson.databind.ObjectMapper().readTree(started.body()).path("name").asText();
            String held = "run/" + run;
            await().atMost(Duration.ofSeconds(30)).until(() -> new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(call("GET", "/api/v1/devices", null).body()).path("items").get(0).path("leasedBy")
                    .asText().equals(held));

            HttpResponse<String> refused = call("POST", "/api/v1/apply", app("tracker"));
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(422);
            assertThat(refused.body()).contains("gpu-0 reserved by run " + run);

            agent.close();
            agent = start(); // the run is re-adopted with its fetch step: its reservation holds
            assertThat(call("POST", "/api/v1/apply", app("tracker")).body()).contains("gpu-0 reserved by run " + run);

            assertThat(call("POST", "/api/v1/runs/" + run + "/cancel", null).statusCode()).isLessThan(300);
            await().atMost(Duration.ofSeconds(30)).until(() -> call("POST", "/api/v1/apply", app("tracker"))
                    .statusCode() == 201);
            delete("tracker");
        } finally {
            if (run != null) call("POST", "/api/v1/runs/" + run + "/cancel", null); // no sleeper outlives a failed test
            call("DELETE", "/api/v1/workloads/tracker", null);
            agent.close();
        }
    }

    @Test
    void anAppAskingForAClassTheNodeLacksIsRefusedNamingIt() throws Exception {
        agent = start();
        try {
            HttpResponse<String> r = call("POST", "/api/v1/apply", app("fpga-user").replace("class: gpu", "class: fpga"));

            assertThat(r.statusCode()).isEqualTo(422);
            assertThat(r.body()).contains("spec.resources.accelerators").contains("1 fpga")
                    .contains("this node has no accelerator of class fpga");
        } finally {
            agent.close();
        }
    }

    @Test
    void aPipelineWhoseRunsNeedMoreOfAClassThanTheNodeHasIsRefusedWhenApplied() throws Exception {
        agent = start();
        try {
            String pipeline = """
                    apiVersion: orchide.io/v1
                    kind: Pipeline
                    metadata: {name: %s}
                    spec:
                      steps:
                        - name: infer
                          template:
                            image: /bin/true
                            runtime: {family: process, monitor: bwrap}
                            resources: {vcpus: 1, memoryMiB: 16, accelerators: [{class: %s, count: %d}]}
                    """;
            HttpResponse<String> two = call("POST", "/api/v1/apply", pipeline.formatted("two-gpus", "gpu", 2));
            assertThat(two.statusCode()).as(two.body()).isEqualTo(409);
            assertThat(two.body()).contains("spec.steps").contains("2 gpu").contains("a run needs more than the node has")
                    .contains("1 gpu");
            HttpResponse<String> fpga = call("POST", "/api/v1/apply", pipeline.formatted("fpga-job", "fpga", 1));
            assertThat(fpga.statusCode()).as(fpga.body()).isEqualTo(409);
            assertThat(fpga.body()).contains("1 fpga");

            HttpResponse<String> one = call("POST", "/api/v1/apply", pipeline.formatted("one-gpu", "gpu", 1));
            assertThat(one.statusCode()).as(one.body()).isLessThan(300);
        } finally {
            agent.close();
        }
    }
}
