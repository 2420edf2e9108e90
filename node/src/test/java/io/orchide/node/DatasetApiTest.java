package io.orchide.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orchide.node.api.NodeToken;
import io.orchide.node.device.DatasetWriter;
import io.orchide.node.layout.NodeLayout;
import io.orchide.node.workload.Capacity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Datasets through the agent's local API: declared with apply, listed, their files copied, moved and deleted. */
class DatasetApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private NodeAgent agent;

    private HttpResponse<String> call(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.address().getPort() + path))
                .header("Authorization", "Bearer " + NodeToken.read(NodeLayout.of(dir).token()).value())
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    private NodeAgent start() throws Exception {
        NodeConfig cfg = new NodeConfig(dir, new InetSocketAddress("127.0.0.1", 0), new Capacity(2, 512), null, null,
                64 * 1024, null, null, null, null);
        return NodeAgent.start(cfg, rc -> List.of());
    }

    @Test
    void aDeclaredDatasetIsListedKeepsItsQuotaOnCopiesAndSurvivesARestart() throws Exception {
        NodeLayout layout = NodeLayout.of(dir);
        new DatasetWriter(layout.dataset("scenes")).write("a.pgm", new byte[600], null);
        new DatasetWriter(layout.dataset("scenes")).write("b.pgm", new byte[600], null);
        agent = start();
        try {
            HttpResponse<String> applied = call("POST", "/api/v1/apply", """
                    apiVersion: orchide.io/v1
                    kind: Dataset
                    metadata: {name: archive, tenant: ocean-team}
                    spec:
                      quota: {bytes: 1000}
                    """);
            assertThat(applied.statusCode()).isEqualTo(201);

            JsonNode list = json(call("GET", "/api/v1/datasets", null)).get("items");
            assertThat(list).hasSize(2);
            assertThat(list.get(0).get("name").asText()).isEqualTo("archive");
            assertThat(list.get(0).get("tenant").asText()).isEqualTo("ocean-team");
            assertThat(list.get(0).get("quota").get("bytes").asLong()).isEqualTo(1000);
            assertThat(list.get(1).get("name").asText()).isEqualTo("scenes");
            assertThat(list.get(1).get("tenant").asText()).isEqualTo("operator");
            assertThat(list.get(1).get("files").asInt()).isEqualTo(2);
            assertThat(list.get(1).get("bytes").asLong()).isEqualTo(1200);

            HttpResponse<String> copied = call("POST", "/api/v1/datasets/scenes/files/a.pgm/copy", "{\"to\":\"archive\"}");
            assertThat(copied.statusCode()).isEqualTo(201);
            assertThat(layout.dataset("scenes").resolve("a.pgm")).exists();

            HttpResponse<String> over = call("POST", "/api/v1/datasets/scenes/files/b.pgm/move", "{\"to\":\"archive\"}");
            assertThat(over.statusCode()).isEqualTo(409);
            JsonNode refusal = json(over);
            assertThat(refusal.get("code").asText()).isEqualTo("quota_exceeded");
            assertThat(refusal.get("limit").asLong()).isEqualTo(1000);
            assertThat(refusal.get("used").asLong()).isEqualTo(600);
            assertThat(refusal.get("requested").asLong()).isEqualTo(600);
            assertThat(layout.dataset("scenes").resolve("b.pgm")).exists();
            assertThat(layout.dataset("archive").resolve("b.pgm")).doesNotExist();

            HttpResponse<String> taken = call("POST", "/api/v1/datasets/scenes/files/a.pgm/copy", "{\"to\":\"archive\"}");
            assertThat(taken.statusCode()).isEqualTo(409);
            assertThat(json(taken).get("code").asText()).isEqualTo("exists");

            HttpResponse<String> moved = call("POST", "/api/v1/datasets/scenes/files/b.pgm/move",
                    "{\"to\":\"scenes\",\"name\":\"c.pgm\"}");
            assertThat(moved.statusCode()).isEqualTo(201);
            assertThat(call("DELETE", "/api/v1/datasets/scenes/files/a.pgm", null).statusCode()).isEqualTo(200);
            assertThat(call("DELETE", "/api/v1/datasets/scenes/files/a.pgm", null).statusCode()).isEqualTo(404);
            assertThat(call("GET", "/api/v1/datasets/nowhere/files", null).statusCode()).isEqualTo(404);
        } finally {
            agent.close();
        }

        agent = start();
        try {
            JsonNode files = json(call("GET", "/api/v1/datasets/archive/files", null)).get("items");
            assertThat(files).hasSize(1);
            assertThat(files.get(0).get("name").asText()).isEqualTo("a.pgm");
            assertThat(files.get(0).get("bytes").asLong()).isEqualTo(600);
            assertThat(json(call("GET", "/api/v1/datasets/scenes/files", null)).get("items"))
                    .extracting(n -> n.get("name").asText()).containsExactly("c.pgm");
            JsonNode archive = json(call("GET", "/api/v1/datasets/archive", null));
            assertThat(archive.get("quota").get("bytes").asLong()).isEqualTo(1000);
            assertThat(call("DELETE", "/api/v1/datasets/archive", null).statusCode()).isEqualTo(200);
            JsonNode undeclared = json(call("GET", "/api/v1/datasets/archive", null));
            assertThat(undeclared.get("tenant").asText()).isEqualTo("operator");
            assertThat(undeclared.get("files").asInt()).isEqualTo(1);
            assertThat(call("DELETE", "/api/v1/datasets/archive", null).statusCode()).isEqualTo(404);
            try (var names = Files.list(layout.dataset("archive"))) {
                assertThat(names.map(p -> p.getFileName().toString())).containsExactly("a.pgm");
            }
        } finally {
            agent.close();
        }
    }

    @Test
    void aPipelineOfAnotherTenantNamingADeclaredDatasetIsRefusedNamingTheField() throws Exception {
        agent = start();
        try {
            call("POST", "/api/v1/apply", """
                    apiVersion: orchide.io/v1
                    kind: Dataset
                    metadata: {name: archive, tenant: ocean-team}
                    """);
            HttpResponse<String> refused = call("POST", "/api/v1/apply", """
                    apiVersion: orchide.io/v1
                    kind: Pipeline
                    metadata: {name: burn, tenant: fire-team}
                    spec:
                      triggers: [{onData: {dataset: archive}}]
                      steps: [{name: run, app: hello}]
                    """);
            assertThat(refused.statusCode()).isEqualTo(409);
            JsonNode errors = json(refused).get("errors");
            assertThat(errors.get(0).get("field").asText()).isEqualTo("spec.triggers[0].onData.dataset");
            assertThat(errors.get(0).get("value").asText()).isEqualTo("archive");
            assertThat(call("GET", "/api/v1/pipelines/burn", null).statusCode()).isEqualTo(404);
        } finally {
            agent.close();
        }
    }
}
