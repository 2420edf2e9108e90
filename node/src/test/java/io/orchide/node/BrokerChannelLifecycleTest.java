package io.orchide.node;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.orchide.node.broker.BrokerSockets;
import io.orchide.node.inference.CloudMaskModelFile;
import io.orchide.node.layout.NodeLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * On a real agent with real processes (bubblewrap): the broker channel an App or a Pipeline gets for its models (its
 * socket and its request directory) goes when the App or Pipeline is deleted, and when an App applied again without
 * models starts; it stays while the workload that uses it runs.
 */
class BrokerChannelLifecycleTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private NodeAgent agent;

    @BeforeEach
    void start() throws Exception {
        agent = BwrapGpuAgent.start(dir);
        byte[] model = CloudMaskModelFile.bytes();
        String digest = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(model));
        assertThat(call("POST", "/api/v1/images", HttpRequest.BodyPublishers.ofByteArray(model)).statusCode()).isEqualTo(201);
        apply("""
                apiVersion: orchide.io/v1
                kind: Model
                metadata: {name: cloud-mask, tenant: ocean-team}
                spec: {digest: "%s", version: "1", accelerators: [cpu]}
                """.formatted(digest), 201);
    }

    @AfterEach
    void stop() throws Exception {
        // workloads outlive their agent: the sleeper must not
        call("DELETE", "/api/v1/workloads/declarer", HttpRequest.BodyPublishers.noBody());
        agent.close();
    }

    private HttpResponse<String> call(String method, String path, HttpRequest.BodyPublisher body) throws Exception {
        return AgentCalls.call(agent, dir, method, path, body);
    }

    private void apply(String manifest, int status) throws Exception {
        HttpResponse<String> r = call("POST", "/api/v1/apply", HttpRequest.BodyPublishers.ofString(manifest));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    }

    private static String sleeper(String models) {
        return """
                apiVersion: orchide.io/v1
                kind: App
                metadata: {name: declarer, tenant: ocean-team}
                spec:
                  image: /usr/bin/sleep
                  runtime: {family: process, monitor: bwrap}
                  args: ["600"]
                  models: %s
                  restart: {policy: Never}
                """.formatted(models);
    }

    private void awaitRunning(String workload, int generation) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            String body = call("GET", "/api/v1/workloads/" + workload, HttpRequest.BodyPublishers.noBody()).body();
            var w = JSON.readTree(body);
            assertThat(w.path("generation").asInt()).as(body).isEqualTo(generation);
            assertThat(w.path("state").asText()).as(body).isEqualTo("Running");
        });
    }

    private static void assertClosed(Path socket) {
        assertThat(socket).doesNotExist();
        assertThatThrownBy(() -> SocketChannel.open(UnixDomainSocketAddress.of(socket))).isInstanceOf(IOException.class);
        assertThat(BrokerSockets.directoryOf(socket)).doesNotExist();
    }

    @Test
    void aDeletedAppsChannelClosesOnceItsWorkloadIsGone() throws Exception {
        Path socket = NodeLayout.of(dir).brokerSocket("app", "declarer");
        apply(sleeper("[{name: cloud-mask, path: /opt/models/mask.onnx}]"), 201);
        awaitRunning("declarer", 1);
        assertThat(socket).exists();
        assertThat(BrokerSockets.directoryOf(socket).resolve("req")).isDirectory();

        HttpResponse<String> deleted = call("DELETE", "/api/v1/workloads/declarer", HttpRequest.BodyPublishers.noBody());
        assertThat(deleted.statusCode()).as(deleted.body()).isIn(200, 202);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertClosed(socket));
    }

    @Test
    void anAppAppliedAgainWithoutModelsGivesUpItsChannelWhenItStartsAgain() throws Exception {
        Path socket = NodeLayout.of(dir).brokerSocket("app", "declarer");
        apply(sleeper("[{name: cloud-mask, path: /opt/models/mask.onnx}]"), 201);
        awaitRunning("declarer", 1);
        assertThat(socket).exists();

        apply(sleeper("[]"), 200);

        awaitRunning("declarer", 2);
        assertClosed(socket);
    }

    @Test
    void aDeletedPipelinesChannelCloses() throws Exception {
        Path socket = NodeLayout.of(dir).brokerSocket("pipeline", "cloud-infer");
        apply("""
                apiVersion: orchide.io/v1
                kind: Pipeline
                metadata: {name: cloud-infer, tenant: ocean-team}
                spec:
                  steps:
                    - name: infer
                      template:
                        image: /usr/bin/true
                        runtime: {family: process, monitor: bwrap}
                        models: [{name: cloud-mask, path: /opt/models/mask.onnx}]
                """, 201);
        HttpResponse<String> started = call("POST", "/api/v1/pipelines/cloud-infer/runs", HttpRequest.BodyPublishers.ofString("{}"));
        assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
        String run = JSON.readTree(started.body()).path("name").asText();
        HttpResponse<String> ended = call("GET", "/api/v1/runs/" + run + "/wait?timeoutSeconds=60", HttpRequest.BodyPublishers.noBody());
        assertThat(JSON.readTree(ended.body()).path("state").asText()).as(ended.body()).isEqualTo("succeeded");
        // kept between runs: the pipeline's next run asks through the same channel
        assertThat(socket).exists();

        HttpResponse<String> deleted = call("DELETE", "/api/v1/pipelines/cloud-infer", HttpRequest.BodyPublishers.noBody());
        assertThat(deleted.statusCode()).as(deleted.body()).isIn(200, 202);

        assertClosed(socket);
    }
}
