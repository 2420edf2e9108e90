package io.orchide.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orchide.node.inference.CloudMaskModelFile;
import io.orchide.node.layout.NodeLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * On a real agent: a model file pushed to the node, a Model applied, a real process (bubblewrap) that declares it
 * finds its file read-only at the declared path and has the broker run it; Apps using a model they may not use are
 * refused at apply, naming the use.
 */
class ModelInferenceNodeTest {
    /** Hashes the mounted model, tries to write it, and asks the broker to run it on a half-bright scene. */
    private static final String CLIENT = """
            import hashlib, json, os, socket
            path = "/opt/models/mask.onnx"
            print("sha256:" + hashlib.sha256(open(path, "rb").read()).hexdigest())
            try:
                open(path, "ab").close(); print("writable")
            except OSError:
                print("read-only")
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.connect(os.environ["ORCHIDE_BROKER"])
            f = s.makefile("rw")
            scene = [0.9 if i % 8 < 4 else 0.1 for i in range(64)]
            f.write(json.dumps({"id": 1, "verb": "infer", "model": "cloud-mask",
                                "input": {"shape": [1, 1, 8, 8], "data": scene}}) + "\\n"); f.flush()
            a = json.loads(f.readline())
            print("fraction", [o["data"] for o in a["result"]["outputs"] if o["name"] == "cloud_fraction"][0])
            """;

    @TempDir
    Path dir;

    private NodeAgent agent;

    private HttpResponse<String> call(String method, String path, HttpRequest.BodyPublisher body) throws Exception {
        return AgentCalls.call(agent, dir, method, path, body);
    }

    private HttpResponse<String> apply(String manifest) throws Exception {
        return call("POST", "/api/v1/apply", HttpRequest.BodyPublishers.ofString(manifest));
    }

    private static String app(String name, String tenant, String models) {
        return """
                apiVersion: orchide.io/v1
                kind: App
                metadata: {name: %s, tenant: %s}
                spec:
                  image: /usr/bin/python3
                  runtime: {family: process, monitor: bwrap}
                  args: [-c, %s]
                  models: %s
                  restart: {policy: Never}
                """.formatted(name, tenant, com.fasterxml.jackson.databind.node.TextNode.valueOf(CLIENT).toString(), models);
    }

    @Test
    void aProcessFindsItsModelReadOnlyAndHasTheBrokerRunIt() throws Exception {
        agent = BwrapGpuAgent.start(dir);
        try {
            byte[] model = CloudMaskModelFile.bytes();
            String digest = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(model));
            HttpResponse<String> pushed = call("POST", "/api/v1/images", HttpRequest.BodyPublishers.ofByteArray(model));
            assertThat(pushed.statusCode()).as(pushed.body()).isEqualTo(201);
            assertThat(new ObjectMapper().readTree(pushed.body()).path("digest").asText()).isEqualTo(digest);

            assertThat(apply("""
                    apiVersion: orchide.io/v1
                    kind: Model
                    metadata: {name: cloud-mask, tenant: ocean-team}
                    spec: {digest: "%s", version: "1", accelerators: [cpu]}
                    """.formatted(digest)).statusCode()).isEqualTo(201);
            // a grant on the accelerator, beside the model: its socket speaks for both
            assertThat(apply("""
                    apiVersion: orchide.io/v1
                    kind: DeviceGrant
                    metadata: {name: ocean-gpu, tenant: ocean-team}
                    spec: {device: gpu-0, apps: [detector], verbs: [read]}
                    """).statusCode()).isEqualTo(201);

            HttpResponse<String> unknown = apply(app("guesser", "ocean-team", "[ship-finder]"));
            assertThat(unknown.statusCode()).isBetween(400, 499);
            assertThat(unknown.body()).contains("spec.models[0]", "ship-finder", "no model of this name");
            HttpResponse<String> otherTenant = apply(app("detector", "fire-team", "[{name: cloud-mask, path: /opt/models/mask.onnx}]"));
            assertThat(otherTenant.body()).contains("spec.models[0]", "not allowed for tenant fire-team");
            HttpResponse<String> otherClass = apply(app("detector", "ocean-team",
                    "[{name: cloud-mask, accelerator: gpu, path: /opt/models/mask.onnx}]"));
            assertThat(otherClass.body()).contains("spec.models[0].accelerator", "may run on cpu only");

            HttpResponse<String> ok = apply(app("detector", "ocean-team", "[{name: cloud-mask, path: /opt/models/mask.onnx}]"));
            assertThat(ok.statusCode()).as(ok.body()).isEqualTo(201);
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(call("GET", "/api/v1/workloads/detector/logs", HttpRequest.BodyPublishers.noBody()).body())
                            .contains(digest, "read-only", "fraction [0.5]"));

            JsonNode listed = new ObjectMapper().readTree(call("GET", "/api/v1/models", HttpRequest.BodyPublishers.noBody()).body());
            assertThat(listed.path("items").get(0).path("name").asText()).isEqualTo("cloud-mask");
            assertThat(listed.path("items").get(0).path("present").asBoolean()).isTrue();
            assertThat(listed.path("items").get(0).path("loaded").asBoolean()).isTrue();
        } finally {
            agent.close();
        }
    }

    /** Asks the broker to run the model, then to read the accelerator, through the socket it was given. */
    private static final String ASKER = """
            import json, os, socket
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.connect(os.environ["ORCHIDE_BROKER"])
            f = s.makefile("rw")
            scene = [0.9 if i % 8 < 4 else 0.1 for i in range(64)]
            for req in ({"id": 1, "verb": "infer", "model": "cloud-mask", "input": {"shape": [1, 1, 8, 8], "data": scene}},
                        {"id": 2, "verb": "read", "device": "gpu-0"}):
                f.write(json.dumps(req) + "\\n"); f.flush()
                a = json.loads(f.readline())
                print(req["verb"], a["ok"], a.get("code"), [o["data"] for o in a.get("result", {}).get("outputs", []) if o["name"] == "cloud_fraction"])
            """;

    @Test
    void anAppThatDeclaresAModelGetsTheBrokerWithoutAGrantButNoDeviceVerbs() throws Exception {
        agent = BwrapGpuAgent.start(dir);
        try {
            byte[] model = CloudMaskModelFile.bytes();
            String digest = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(model));
            assertThat(call("POST", "/api/v1/images", HttpRequest.BodyPublishers.ofByteArray(model)).statusCode()).isEqualTo(201);
            assertThat(apply("""
                    apiVersion: orchide.io/v1
                    kind: Model
                    metadata: {name: cloud-mask, tenant: ocean-team}
                    spec: {digest: "%s", version: "1", accelerators: [cpu]}
                    """.formatted(digest)).statusCode()).isEqualTo(201);
            String asker = """
                    apiVersion: orchide.io/v1
                    kind: App
                    metadata: {name: %s, tenant: ocean-team}
                    spec:
                      image: /usr/bin/python3
                      runtime: {family: process, monitor: bwrap}
                      args: [-c, %s]
                      models: %s
                      restart: {policy: Never}
                    """;
            String script = com.fasterxml.jackson.databind.node.TextNode.valueOf(ASKER).toString();
            // no DeviceGrant names either app
            assertThat(apply(asker.formatted("declarer", script, "[cloud-mask]")).statusCode()).isEqualTo(201);
            assertThat(apply(asker.formatted("bystander", script, "[]")).statusCode()).isEqualTo(201);

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(call("GET", "/api/v1/workloads/declarer/logs", HttpRequest.BodyPublishers.noBody()).body())
                            .contains("infer True None [[0.5]]", "read False no_grant []"));
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(call("GET", "/api/v1/workloads/bystander/logs", HttpRequest.BodyPublishers.noBody()).body())
                            .contains("KeyError: 'ORCHIDE_BROKER'"));
        } finally {
            agent.close();
        }
        // a restarted agent opens the channel of a stored App that declares models again, for a guest it re-adopts
        Path socket = NodeLayout.of(dir).brokerSocket("app", "declarer");
        assertThat(socket).doesNotExist();
        agent = BwrapGpuAgent.start(dir);
        try {
            assertThat(socket).exists();
            assertThat(NodeLayout.of(dir).brokerSocket("app", "bystander")).doesNotExist();
        } finally {
            agent.close();
        }
    }

    @Test
    void theShippedExampleRunsAsItsReadmeSays() throws Exception {
        agent = BwrapGpuAgent.start(dir);
        try {
            Path examples = Path.of("..", "examples");
            HttpResponse<String> pushed = call("POST", "/api/v1/images",
                    HttpRequest.BodyPublishers.ofFile(examples.resolve("models/cloud-mask.onnx")));
            assertThat(pushed.statusCode()).as(pushed.body()).isEqualTo(201);
            assertThat(apply(java.nio.file.Files.readString(examples.resolve("models/cloud-mask.yaml"))).statusCode())
                    .isEqualTo(201);
            for (String doc : java.nio.file.Files.readString(examples.resolve("apps/cloud-mask-client.yaml")).split("\n---\n")) {
                HttpResponse<String> r = apply(doc);
                assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
            }
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(call("GET", "/api/v1/workloads/cloud-mask-client/logs", HttpRequest.BodyPublishers.noBody()).body())
                            .contains("model file: 313 bytes", "fraction [0.5]"));
        } finally {
            agent.close();
        }
    }
}
