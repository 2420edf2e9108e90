package io.orchide.cli;

import io.orchide.node.api.NodeApiSamples;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** apply with pipelines, get/describe/delete pipeline: what is sent, what is printed. */
class PipelineVerbsTest {
    private static final String APP = """
            apiVersion: orchide.io/v1
            kind: App
            metadata: {name: hello}
            spec:
              image: ../bin/hello.elf
              runtime: {family: multiboot, monitor: qemu, arch: x86_64}
              resources: {vcpus: 1, memoryMiB: 64}
            """;
    private static final String PIPELINE = """
            apiVersion: orchide.io/v1
            kind: Pipeline
            metadata: {name: scan}
            spec:
              priority: %d
              triggers: [{manual: {}}]
              steps:
                - name: detect
                  template:
                    image: bin/detect.elf
                    runtime: {family: unikraft, monitor: qemu, arch: x86_64}
                    resources: {vcpus: 1, memoryMiB: 64}
                  inputs: [{name: scene, from: trigger}]
                  outputs: [{name: boxes, path: boxes.json}]
            """;

    @RegisterExtension
    final FakeServer node = FakeServer.node();

    @Test
    void applySendsAppsAndPipelinesInDocumentOrderWithPathsResolved(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("m.yaml");
        Files.writeString(file, APP + "---\n" + PIPELINE.formatted(70));
        node.on("POST /api/v1/apply", 200, "{\"kind\":\"App\",\"name\":\"hello\",\"result\":\"created\"}")
                .on("POST /api/v1/apply", 200, "{\"kind\":\"Pipeline\",\"name\":\"scan\",\"result\":\"configured\"}");

        FakeServer.Result r = node.run("apply", "-f", file.toString());

        assertEquals(0, r.status(), r.err());
        assertEquals("app/hello created\npipeline/scan configured\n", r.out());
        assertEquals(List.of("POST /api/v1/apply", "POST /api/v1/apply"),
                node.requests.stream().map(Object::toString).toList());
        JsonNode app = ApiClient.JSON.readTree(node.requests.get(0).body());
        JsonNode pipeline = ApiClient.JSON.readTree(node.requests.get(1).body());
        assertEquals("App", app.path("kind").asText());
        assertEquals("Pipeline", pipeline.path("kind").asText());
        assertEquals(dir.resolve("bin/detect.elf").toString(),
                pipeline.path("spec").path("steps").get(0).path("template").path("image").asText());
    }

    @Test
    void applyChecksEveryDocumentBeforeSendingAny(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("m.yaml");
        Files.writeString(file, APP + "---\n" + PIPELINE.formatted(500));

        FakeServer.Result r = node.run("apply", "-f", file.toString());

        assertEquals(1, r.status());
        assertTrue(r.err().contains("manifest rejected") && r.err().contains("priority"), r.err());
        assertEquals(List.of(), node.requests.stream().map(Object::toString).toList());
    }

    @Test
    void anAppWithoutAnArchIsSentWithoutOneForTheNodeToDecide(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("m.yaml");
        Files.writeString(file, APP.replace(", arch: x86_64", ""));
        node.on("POST /api/v1/apply", 201, "{\"kind\":\"App\",\"name\":\"hello\",\"result\":\"created\"}");

        FakeServer.Result r = node.run("apply", "-f", file.toString());

        assertEquals(0, r.status(), r.err());
        JsonNode runtime = ApiClient.JSON.readTree(node.only().body()).path("spec").path("runtime");
        assertEquals("qemu", runtime.path("monitor").asText());
        assertTrue(runtime.path("arch").isMissingNode(), runtime.toString());
    }

    @Test
    void getPipelinesPrintsOneRowEach() {
        node.on("GET /api/v1/pipelines", 200, list(pipeline("cloud-filter", Duration.ofHours(2), "cloud-filter-000042"),
                pipeline("sweep", null, null)));

        FakeServer.Result r = node.run("get", "pl");

        assertEquals(0, r.status(), r.err());
        List<List<String>> rows = rows(r.out());
        assertEquals(List.of("NAME", "PRIORITY", "TRIGGERS", "STEPS", "QUEUED", "RUNNING", "DONE", "AGE"), rows.get(0));
        assertEquals(List.of("cloud-filter", "70", "onData camera *.pgm, manual", "4", "1", "2", "13", "5m"), rows.get(1));
        assertEquals("GET /api/v1/pipelines", node.only().toString());
    }

    @Test
    void getPipelinesWideAddsDeadlineConcurrencyAndLastRun() {
        node.on("GET /api/v1/pipelines", 200, list(pipeline("cloud-filter", Duration.ofHours(2), "cloud-filter-000042"),
                pipeline("sweep", null, null)));

        List<List<String>> rows = rows(node.run("get", "pipelines", "-o", "wide").out());

        assertEquals(List.of("DEADLINE", "CONCURRENCY", "LAST RUN"), rows.get(0).subList(8, 11));
        assertEquals(List.of("PT2H", "2", "cloud-filter-000042"), rows.get(1).subList(8, 11));
        assertEquals(List.of("-", "2", "-"), rows.get(2).subList(8, 11));
    }

    @Test
    void getOnePipelineByNameAsJson() throws Exception {
        node.on("GET /api/v1/pipelines/cloud-filter", 200, NodeApiSamples.pipelineDetail("cloud-filter", null, null));

        FakeServer.Result r = node.run("get", "pipeline", "cloud-filter", "-o", "json");

        assertEquals("cloud-filter", ApiClient.JSON.readTree(r.out()).path("name").asText());
        assertEquals("GET /api/v1/pipelines/cloud-filter", node.only().toString());
    }

    @Test
    void describePipelineShowsSchedulingAndSteps() {
        node.on("GET /api/v1/pipelines/cloud-filter", 200,
                NodeApiSamples.pipelineDetail("cloud-filter", Duration.ofHours(2), "cloud-filter-000042"));

        FakeServer.Result r = node.run("describe", "pipeline", "cloud-filter");

        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("Deadline:    PT2H\n"), r.out());
        assertTrue(r.out().contains("Runs:        1 queued, 2 running, 10 succeeded, 1 failed, 1 cancelled, 1 expired\n"), r.out());
        assertTrue(r.out().contains("  tile: app tiler\n    Outputs:     tiles -> tiles/\n"), r.out());
        assertTrue(r.out().contains("  detect: image /opt/detect.elf, after tile\n"
                + "    For each:    steps.tile.outputs.tiles, parallelism 2\n"
                + "    Inputs:      tile <- item\n"
                + "    Retries:     2, backoff 10s\n"), r.out());
    }

    @Test
    void deletePipelineListsTheRunsItCancelled() {
        node.on("DELETE /api/v1/pipelines/cloud-filter", 200,
                "{\"name\":\"cloud-filter\",\"result\":\"deleted\",\"cancelled\":[\"cloud-filter-000041\",\"cloud-filter-000042\"]}");

        FakeServer.Result r = node.run("delete", "pipeline", "cloud-filter");

        assertEquals(0, r.status(), r.err());
        assertEquals("pipeline/cloud-filter deleted\nrun/cloud-filter-000041 cancelled\nrun/cloud-filter-000042 cancelled\n",
                r.out());
        assertEquals("DELETE /api/v1/pipelines/cloud-filter", node.only().toString());
    }

    @Test
    void anUnknownPipelineShowsTheApiError() {
        node.on("GET /api/v1/pipelines/nope", 404, "{\"code\":\"not_found\",\"message\":\"no pipeline nope\"}");

        FakeServer.Result r = node.run("describe", "pl", "nope");

        assertEquals(1, r.status());
        assertEquals("error: no pipeline nope [not_found]\n", r.err());
    }

    static String pipeline(String name, Duration deadline, String lastRun) {
        return NodeApiSamples.pipeline(name, deadline, lastRun);
    }

    static String list(String... items) { return "{\"items\":[" + String.join(",", items) + "]}"; }

    /** The printed table, cells split on the two or more spaces between columns. */
    static List<List<String>> rows(String table) {
        return table.lines().map(l -> List.of(l.split(" {2,}"))).toList();
    }
}
