package io.orchide.cli;

import io.orchide.node.api.NodeApiSamples;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.orchide.cli.PipelineVerbsTest.list;
import static io.orchide.cli.PipelineVerbsTest.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** run, get/describe/cancel/wait/logs run, event, get products: what is sent, what is printed, exit statuses. */
class RunVerbsTest {
    @RegisterExtension
    final FakeServer node = FakeServer.node();

    @Test
    void runPipelineSendsInputsAsAbsolutePaths() throws Exception {
        Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "inputs");
        Path file = Files.writeString(dir.resolve("scene.pgm"), "P5");
        String relative = Path.of("").toAbsolutePath().relativize(file.toAbsolutePath()).toString();
        node.on("POST /api/v1/pipelines/cloud-filter/runs", 201, run("cloud-filter-000042", "queued", List.of()));

        FakeServer.Result r;
        try {
            r = node.run("run", "pipeline", "cloud-filter", "--input", "scene=" + relative);
        } finally {
            Files.delete(file);
            Files.delete(dir);
        }

        assertEquals(0, r.status(), r.err());
        assertEquals("run/cloud-filter-000042 queued\n", r.out());
        FakeServer.Request req = node.only();
        assertEquals("POST /api/v1/pipelines/cloud-filter/runs", req.toString());
        assertEquals(file.toAbsolutePath().normalize().toString(),
                ApiClient.JSON.readTree(req.body()).path("inputs").path("scene").asText());
    }

    @Test
    void runPipelineWithoutInputsSendsAnEmptyObjectAndPrintsJson() throws Exception {
        node.on("POST /api/v1/pipelines/cloud-filter/runs", 201, run("cloud-filter-000042", "queued", List.of()));

        FakeServer.Result r = node.run("run", "pl", "cloud-filter", "-o", "json");

        assertEquals("{\"inputs\":{}}", node.only().body());
        assertEquals(42, ApiClient.JSON.readTree(r.out()).path("id").asInt());
    }

    @Test
    void runPipelineRefusesAMissingInputFileBeforeAnyRequest() {
        FakeServer.Result r = node.run("run", "pipeline", "cloud-filter", "--input", "scene=no/such/scene.pgm");

        assertEquals(1, r.status());
        assertTrue(r.err().contains("--input scene: no such file or directory no/such/scene.pgm"), r.err());
        assertEquals(List.of(), node.requests);
    }

    @Test
    void runPipelineRefusesAnInputWithoutKey() {
        FakeServer.Result r = node.run("run", "pipeline", "cloud-filter", "--input", "scene.pgm");

        assertEquals(1, r.status());
        assertTrue(r.err().contains("expected KEY=PATH (got scene.pgm)"), r.err());
        assertEquals(List.of(), node.requests);
    }

    @Test
    void anApiErrorIsShownWithItsField() {
        node.on("POST /api/v1/pipelines/cloud-filter/runs", 400, """
                {"code":"invalid","message":"run refused","field":"inputs.tile",
                 "errors":[{"field":"inputs.tile","value":"/x","message":"is not a trigger input of cloud-filter"}]}""");

        FakeServer.Result r = node.run("run", "pipeline", "cloud-filter", "--input", "tile=/");

        assertEquals(1, r.status());
        assertEquals("error: run refused [invalid]\n  inputs.tile: is not a trigger input of cloud-filter (got /x)\n", r.err());
    }

    @Test
    void anApiErrorWithOnlyAFieldShowsTheField() {
        node.on("POST /api/v1/pipelines/cloud-filter/runs", 409,
                "{\"code\":\"conflict\",\"message\":\"pipeline is being deleted\",\"field\":\"metadata.name\"}");

        FakeServer.Result r = node.run("run", "pipeline", "cloud-filter");

        assertEquals("error: pipeline is being deleted [conflict]\n  field: metadata.name\n", r.err());
    }

    @Test
    void getRunsPassesFiltersAndShowsRunningSteps() {
        node.on("GET /api/v1/runs", 200, list(run("cloud-filter-000042", "running", List.of("detect", "count")),
                run("cloud-filter-000041", "queued", List.of())));

        FakeServer.Result r = node.run("get", "runs", "--pipeline", "cloud-filter", "--state", "running");

        assertEquals(0, r.status(), r.err());
        assertEquals("GET /api/v1/runs?pipeline=cloud-filter&state=running", node.only().toString());
        List<List<String>> rows = rows(r.out());
        assertEquals(List.of("RUN", "PIPELINE", "PRIORITY", "STATE", "STEP", "AGE"), rows.get(0));
        assertEquals(List.of("cloud-filter-000042", "cloud-filter", "70", "running", "detect,count", "3m"), rows.get(1));
        assertEquals("-", rows.get(2).get(4));
    }

    @Test
    void getRunsWideAddsTriggerAndReason() {
        node.on("GET /api/v1/runs", 200, list(run("cloud-filter-000042", "running", List.of())));

        List<List<String>> rows = rows(node.run("get", "run", "-o", "wide").out());

        assertEquals(List.of("TRIGGER", "REASON"), rows.get(0).subList(6, 8));
        assertEquals(List.of("onData: camera/a.pgm", "-"), rows.get(1).subList(6, 8));
    }

    @Test
    void getRunsRefusesAnUnknownStateBeforeAnyRequest() {
        FakeServer.Result r = node.run("get", "runs", "--state", "done");

        assertEquals(1, r.status());
        assertTrue(r.err().contains("unknown run state done (known: queued, running, succeeded, failed, cancelled, expired)"),
                r.err());
        assertEquals(List.of(), node.requests);
    }

    @Test
    void describeRunShowsStepInstancesAndProductLineage() {
        node.on("GET /api/v1/runs/cloud-filter-000042", 200, NodeApiSamples.runDetail("cloud-filter-000042", "failed"));

        FakeServer.Result r = node.run("describe", "run", "cloud-filter-000042");

        assertEquals(0, r.status(), r.err());
        String out = r.out();
        assertTrue(out.contains("Name:        cloud-filter-000042 (id 42)\n"), out);
        assertTrue(out.contains("Priority:    70 (effective 75)\n"), out);
        assertTrue(out.contains("Trigger:     onData: camera/a.pgm\n"), out);
        assertTrue(out.contains("""
                  detect[3] (cloud-filter-000042-detect-3)
                    State:       failed, attempt 2, exit code 3
                    Message:     guest exited 3
                    Started:     2025-01-01T00:00:00Z
                    Ended:       2025-01-01T00:00:09Z
                    Inputs:
                      tile: /ws/tile/tiles/3.pgm
                    Outputs:     -
                """), out);
        assertTrue(out.contains("  17  count/count  4.0KiB  priority 80  outbox\n"), out);
        assertTrue(out.contains("    SHA-256:     " + "ab".repeat(32) + "\n"), out);
        assertTrue(out.contains("    Inputs:\n      boxes: /ws/detect/boxes.json\n"), out);
    }

    @Test
    void cancelRunPrintsCancelledAndAnEndedRunIsAConflict() {
        node.on("POST /api/v1/runs/cloud-filter-000042/cancel", 200, run("cloud-filter-000042", "cancelled", List.of()))
                .on("POST /api/v1/runs/cloud-filter-000042/cancel", 409,
                        "{\"code\":\"conflict\",\"message\":\"cloud-filter-000042 already ended (succeeded)\"}");

        FakeServer.Result first = node.run("cancel", "run", "cloud-filter-000042");
        FakeServer.Result second = node.run("cancel", "run", "cloud-filter-000042");

        assertEquals(0, first.status(), first.err());
        assertEquals("run/cloud-filter-000042 cancelled\n", first.out());
        assertEquals(1, second.status());
        assertEquals("error: cloud-filter-000042 already ended (succeeded) [conflict]\n", second.err());
    }

    @Test
    void waitRunExitsZeroOnlyWhenTheRunSucceeded() {
        node.on("GET /api/v1/runs/cloud-filter-000042/wait", 200, run("cloud-filter-000042", "succeeded", List.of()))
                .on("GET /api/v1/runs/cloud-filter-000042/wait", 200, run("cloud-filter-000042", "failed", List.of()))
                .on("GET /api/v1/runs/cloud-filter-000042/wait", 408,
                        "{\"code\":\"timeout\",\"message\":\"cloud-filter-000042 did not end within 90 s\"}");

        FakeServer.Result ok = node.run("wait", "run", "cloud-filter-000042", "--timeout", "90s");
        FakeServer.Result failed = node.run("wait", "run", "cloud-filter-000042");
        FakeServer.Result timedOut = node.run("wait", "run", "cloud-filter-000042", "--timeout", "90s");

        assertEquals(0, ok.status(), ok.err());
        assertEquals("run/cloud-filter-000042 succeeded\n", ok.out());
        assertEquals("GET /api/v1/runs/cloud-filter-000042/wait?timeoutSeconds=90", node.requests.get(0).toString());
        assertEquals("timeoutSeconds=60", node.requests.get(1).query());
        assertEquals(1, failed.status());
        assertEquals("run/cloud-filter-000042 failed\n", failed.out());
        assertEquals(1, timedOut.status());
        assertTrue(timedOut.err().contains("did not end within 90 s [timeout]"), timedOut.err());
    }

    @Test
    void logsRunAsksForOneStepInstance() {
        node.onText("GET /api/v1/runs/cloud-filter-000042/logs", "tile 3: 2 ships\n");

        FakeServer.Result r = node.run("logs", "run", "cloud-filter-000042", "--step", "detect", "--item", "3", "--tail", "50");

        assertEquals(0, r.status(), r.err());
        assertEquals("tile 3: 2 ships\n", r.out());
        assertEquals("GET /api/v1/runs/cloud-filter-000042/logs?step=detect&item=3&tail=50", node.only().toString());
    }

    @Test
    void logsRunNeedsAStep() {
        FakeServer.Result r = node.run("logs", "run", "cloud-filter-000042");

        assertEquals(1, r.status());
        assertTrue(r.err().contains("--step is required"), r.err());
        assertEquals(List.of(), node.requests);
    }

    @Test
    void logsOfAWorkloadStillTakeJustTheName() {
        node.onText("GET /api/v1/workloads/hello/logs", "hi\n");

        assertEquals("hi\n", node.run("logs", "hello").out());
        assertEquals("GET /api/v1/workloads/hello/logs?tail=200", node.only().toString());
    }

    @Test
    void eventListsTheRunsItStarted() throws Exception {
        node.on("POST /api/v1/events", 200,
                "{\"event\":\"scene-requested\",\"runs\":[\"cloud-filter-000043\",\"sweep-000007\"]}")
                .on("POST /api/v1/events", 200, "{\"event\":\"scene-requested\",\"runs\":[]}");

        FakeServer.Result started = node.run("event", "scene-requested");
        FakeServer.Result none = node.run("event", "scene-requested");

        assertEquals("event/scene-requested fired: cloud-filter-000043, sweep-000007\n", started.out());
        assertEquals("event/scene-requested fired: no pipeline listens to it\n", none.out());
        JsonNode body = ApiClient.JSON.readTree(node.requests.getFirst().body());
        assertEquals("scene-requested", body.path("name").asText());
    }

    @Test
    void getProductsOfOneRun() {
        node.on("GET /api/v1/products", 200, list(product()));

        FakeServer.Result r = node.run("get", "products", "--run", "cloud-filter-000042");

        assertEquals(0, r.status(), r.err());
        assertEquals("GET /api/v1/products?run=cloud-filter-000042", node.only().toString());
        List<List<String>> rows = rows(r.out());
        assertEquals(List.of("ID", "RUN", "STEP", "OUTPUT", "FILE", "SIZE", "PRIORITY", "AGE"), rows.get(0));
        assertEquals(List.of("17", "cloud-filter-000042", "count", "count", "count.json", "4.0KiB", "80", "10m"),
                rows.get(1));
    }

    @Test
    void aDirectoryProductShowsItsFilesTheirDigestsAndTheImageItRanFrom() {
        String p = directoryProduct();
        node.on("GET /api/v1/products", 200, list(p));
        String r0 = run("cloud-filter-000042", "succeeded", List.of());
        node.on("GET /api/v1/runs/cloud-filter-000042", 200, r0.substring(0, r0.length() - 1)
                + ",\"workspace\":\"/ws\",\"stepRuns\":[],\"products\":[" + p + "]}");

        List<List<String>> rows = rows(node.run("get", "products").out());
        assertEquals(List.of("18", "cloud-filter-000042", "compress", "scene", "scene-0001-crop.pgm.gz", "40B", "80",
                "10m"), rows.get(1));

        String out = node.run("describe", "run", "cloud-filter-000042").out();
        assertTrue(out.contains("    Files:\n      scene-0001-crop.pgm.gz: 40B  sha256 " + "cd".repeat(32) + "\n"), out);
        assertTrue(out.contains("    Image:       /ex/busybox/rootfs (a directory: no digest)\n"), out);
        assertTrue(!out.contains("SHA-256:     -") && !out.contains("Image:       -"), out);
    }

    @Test
    void unknownAndUnsupportedTypesNameWhatIsAccepted() {
        FakeServer.Result unknown = node.run("get", "jobs");
        FakeServer.Result unsupported = node.run("cancel", "workload", "hello");

        assertEquals("error: unknown resource type jobs (get takes: workloads, pipelines, runs, products, datasets, satellites, events, "
                + "audit, tenants, tokens, rolebindings, passes, stations, secrets, nodekeys, devices, devicegrants, models)\n", unknown.err());
        assertEquals("error: cancel does not work on workloads (it takes: runs)\n", unsupported.err());
        assertEquals(List.of(), node.requests);
    }

    static String run(String name, String state, List<String> steps) {
        return NodeApiSamples.run(name, state, steps);
    }

    /** A directory output as the node's view shows it (PipelineViewsTest checks the node's side). */
    static String directoryProduct() {
        return """
                {"id":18,"run":"cloud-filter-000042","pipeline":"cloud-filter","step":"compress","item":null,
                 "output":"scene","path":"/var/lib/orchide/outbox/cloud-filter-000042/compress/scene","sizeBytes":40,
                 "sha256":null,"files":[{"name":"scene-0001-crop.pgm.gz","sizeBytes":40,"sha256":"%s"}],
                 "priority":80,"retention":"P7D","expiresAt":"2025-01-08T00:00:00Z","createdAt":"%s",
                 "image":null,"imagePath":"/ex/busybox/rootfs","inputs":{},"state":"outbox"}"""
                .formatted("cd".repeat(32), Instant.now().minusSeconds(600));
    }

    static String product() {
        return NodeApiSamples.product();
    }
}
