package io.orchide.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static io.orchide.cli.PipelineVerbsTest.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** get datasets, dataset ls/cp/mv/rm against a node: what is sent, what is printed, exit statuses. */
class DatasetVerbsTest {
    private static final String DATASETS = """
            {"items":[
             {"name":"archive","tenant":"ocean-team","declared":true,"files":1,"bytes":600,
              "quota":{"bytes":1073741824,"files":1000},"retention":{"keepLast":100}},
             {"name":"scenes","tenant":"operator","declared":false,"files":2,"bytes":2048,"quota":{}}]}""";

    @RegisterExtension
    final FakeServer node = FakeServer.node();

    @RegisterExtension
    final FakeServer ground = FakeServer.ground();

    @Test
    void getDatasetsShowsTenantUseAndQuota() {
        node.on("GET /api/v1/datasets", 200, DATASETS);

        FakeServer.Result r = node.run("get", "datasets");

        assertEquals(0, r.status(), r.err());
        List<List<String>> rows = rows(r.out());
        assertEquals(List.of("NAME", "TENANT", "FILES", "SIZE", "QUOTA"), rows.get(0));
        assertEquals(List.of("archive", "ocean-team", "1", "600B", "1.0GiB, 1000 files"), rows.get(1));
        assertEquals(List.of("scenes", "operator", "2", "2.0KiB", "-"), rows.get(2));
    }

    @Test
    void getDatasetsAsJsonPrintsTheItems() throws Exception {
        node.on("GET /api/v1/datasets", 200, DATASETS);

        FakeServer.Result r = node.run("get", "ds", "-o", "json");

        assertEquals(0, r.status(), r.err());
        assertEquals(2, ApiClient.JSON.readTree(r.out()).size());
    }

    @Test
    void datasetLsListsADatasetsFiles() {
        node.on("GET /api/v1/datasets/scenes/files", 200, """
                {"dataset":"scenes","items":[{"name":"a.pgm","bytes":1024,"modified":"2020-01-01T00:00:00Z"}]}""");

        FakeServer.Result r = node.run("dataset", "ls", "scenes");

        assertEquals(0, r.status(), r.err());
        assertEquals(List.of("a.pgm", "1.0KiB"), rows(r.out()).get(1).subList(0, 2));
    }

    @Test
    void datasetCpSendsTheTargetAndANewName() throws Exception {
        node.on("POST /api/v1/datasets/scenes/files/a b.pgm/copy", 201, """
                {"name":"b.pgm","bytes":1024,"dataset":"archive","result":"copied"}""");

        FakeServer.Result r = node.run("dataset", "cp", "scenes/a b.pgm", "archive/b.pgm");

        assertEquals(0, r.status(), r.err());
        assertEquals("{\"to\":\"archive\",\"name\":\"b.pgm\"}", node.only().body());
        assertEquals("scenes/a b.pgm copied to archive/b.pgm (1024 bytes)\n", r.out());
    }

    @Test
    void aQuotaRefusalIsShownWithQuotaUseAndRequest() {
        node.on("POST /api/v1/datasets/scenes/files/a.pgm/move", 409, """
                {"code":"quota_exceeded","message":"dataset archive would go over its quota of bytes: quota 1000, use 600, request 600",
                 "errors":[{"field":"quota.bytes","value":"600","message":"quota 1000, use 600, request 600"}]}""");

        FakeServer.Result r = node.run("dataset", "mv", "scenes/a.pgm", "archive/");

        assertEquals(1, r.status());
        assertEquals("{\"to\":\"archive\"}", node.only().body());
        assertTrue(r.err().contains("[quota_exceeded]") && r.err().contains("quota 1000, use 600, request 600"), r.err());
    }

    @Test
    void datasetRmNeedsAFileAndASatelliteOnBothSidesOrNeitherBeforeAnyRequest() {
        assertEquals(1, node.run("dataset", "rm", "scenes").status());
        FakeServer.Result r = node.run("dataset", "cp", "sat-1:scenes/a.pgm", "archive/");
        assertEquals(1, r.status());
        assertTrue(r.err().contains("name the satellite as the other argument does (SATELLITE:archive/)"), r.err());
        FakeServer.Result other = node.run("dataset", "mv", "sat-1:scenes/a.pgm", "sat-2:archive/");
        assertEquals(1, other.status());
        assertTrue(other.err().contains("a dataset of the same satellite"), other.err());
        assertEquals(List.of(), node.requests);

        node.on("DELETE /api/v1/datasets/scenes/files/a.pgm", 200, "{\"result\":\"deleted\"}");
        FakeServer.Result ok = node.run("dataset", "rm", "scenes/a.pgm");
        assertEquals(0, ok.status(), ok.err());
        assertEquals("scenes/a.pgm deleted\n", ok.out());
    }

    @Test
    void deleteDatasetForgetsItsDeclarationOnTheNode() {
        node.on("DELETE /api/v1/datasets/archive", 200, "{\"name\":\"archive\",\"result\":\"deleted\"}");

        FakeServer.Result r = node.run("delete", "dataset", "archive");

        assertEquals(0, r.status(), r.err());
        assertEquals("dataset/archive deleted\n", r.out());
    }

    @Test
    void deleteDatasetThroughGroundIsQueuedForTheNextContact() {
        ground.on("DELETE /api/v1/satellites/sat-1/datasets/archive", 200, """
                {"kind":"Dataset","name":"archive","result":"deleted","generation":2,"bundle":"desired.sat-1.2","satellite":"sat-1"}""");

        FakeServer.Result r = ground.run("delete", "dataset", "archive", "--satellite", "sat-1");

        assertEquals(0, r.status(), r.err());
        assertEquals("dataset/archive deletion queued (generation 2, delivered to sat-1 at its next contact)\n", r.out());
    }

    @Test
    void datasetLsOfASatelliteAnswersFromItsLastReportWithItsAge() {
        String reported = java.time.Instant.now().minusSeconds(300).toString();
        ground.on("GET /api/v1/satellites/sat-1/datasets", 200, """
                {"satellite":"sat-1","items":[{"name":"scenes","tenant":"ocean","node":"node-a","files":2,"bytes":2048,
                 "quota":{"bytes":1048576},"reported":"%s","ageSeconds":300}]}""".formatted(reported));
        ground.on("GET /api/v1/satellites/sat-1/datasets/scenes/files", 200, """
                {"satellite":"sat-1","dataset":"scenes","items":[{"name":"scenes","tenant":"ocean","node":"node-a",
                 "files":1,"bytes":1024,"quota":{},"reported":"%s","ageSeconds":300,
                 "items":[{"name":"a.pgm","bytes":1024,"modified":"2020-01-01T00:00:00Z"}]}]}""".formatted(reported));

        ground.on("POST /api/v1/satellites/sat-1/dataset-ops", 202, """
                {"id":8,"satellite":"sat-1","op":"ls","state":"queued","bundle":"dataset-op.sat-1.8",
                 "dataset":"scenes","created":"2020-01-01T00:00:00Z"}""");

        FakeServer.Result all = ground.run("dataset", "ls", "sat-1:");
        FakeServer.Result files = ground.run("dataset", "ls", "sat-1:scenes", "--refresh");

        assertEquals(0, all.status(), all.err());
        assertEquals(List.of("NAME", "TENANT", "NODE", "FILES", "SIZE", "REPORTED"), rows(all.out()).get(0));
        assertEquals(List.of("scenes", "ocean", "node-a", "2", "2.0KiB", "5m ago"), rows(all.out()).get(1));
        assertEquals(0, files.status(), files.err());
        assertTrue(files.out().startsWith("sat-1:scenes on node-a, as reported 5m ago: 1 file(s), 1.0KiB\n"),
                files.out());
        assertTrue(files.out().contains("a.pgm"), files.out());
        assertEquals("{\"op\":\"ls\",\"dataset\":\"scenes\"}", ground.requests.get(1).body());
        assertTrue(files.err().contains("a new listing is asked of sat-1 (operation 8)"), files.err());
    }

    @Test
    void datasetCpOnASatelliteIsQueuedAndOpsShowsHowItWent() {
        ground.on("POST /api/v1/satellites/sat-1/dataset-ops", 202, """
                {"id":7,"satellite":"sat-1","op":"cp","state":"queued","bundle":"dataset-op.sat-1.7","tenant":"ocean",
                 "dataset":"scenes","file":"a.pgm","to":"archive","created":"2020-01-01T00:00:00Z",
                 "message":"queued for sat-1: done at its next contact; see GET /api/v1/satellites/sat-1/dataset-ops/7"}""");
        ground.on("GET /api/v1/satellites/sat-1/dataset-ops", 200, """
                {"satellite":"sat-1","items":[{"id":7,"satellite":"sat-1","op":"cp","state":"failed",
                 "bundle":"dataset-op.sat-1.7","dataset":"scenes","file":"a.pgm","to":"archive","node":"node-a",
                 "created":"2020-01-01T00:00:00Z","answered":"2020-01-01T00:10:00Z",
                 "message":"dataset archive would go over its quota of bytes: quota 10, use 6, request 6"}]}""");

        FakeServer.Result r = ground.run("dataset", "cp", "sat-1:scenes/a.pgm", "sat-1:archive/");

        assertEquals(0, r.status(), r.err());
        assertEquals("{\"op\":\"cp\",\"dataset\":\"scenes\",\"file\":\"a.pgm\",\"to\":\"archive\"}",
                ground.requests.get(0).body());
        assertEquals("operation 7 (cp) queued for sat-1: done at its next contact; see orchide dataset ops sat-1\n",
                r.out());
        FakeServer.Result ops = ground.run("dataset", "ops", "sat-1");
        assertEquals(0, ops.status(), ops.err());
        assertEquals(List.of("ID", "OP", "FROM", "TO", "STATE", "AGE", "MESSAGE"), rows(ops.out()).get(0));
        assertEquals(List.of("7", "cp", "scenes/a.pgm", "archive/", "failed"), rows(ops.out()).get(1).subList(0, 5));
        assertTrue(ops.out().contains("quota 10, use 6, request 6"), ops.out());
    }

    @Test
    void datasetGetOnASatelliteIsQueuedAndSaysHowToFetchTheFile() {
        ground.on("POST /api/v1/satellites/sat-1/dataset-ops", 202, """
                {"id":9,"satellite":"sat-1","op":"get","state":"queued","bundle":"dataset-op.sat-1.9",
                 "dataset":"scenes","file":"a.pgm","created":"2020-01-01T00:00:00Z"}""");

        FakeServer.Result r = ground.run("dataset", "get", "sat-1:scenes/a.pgm");

        assertEquals(0, r.status(), r.err());
        assertEquals("{\"op\":\"get\",\"dataset\":\"scenes\",\"file\":\"a.pgm\"}", ground.only().body());
        assertEquals("operation 9 (get) queued for sat-1: the file comes down from its next contact (over 1 MiB, on "
                + "its own after the answer); then orchide dataset fetch sat-1 9\n", r.out());
        assertEquals(1, ground.run("dataset", "fetch", "sat-1", "nine").status());
    }

    @Test
    void datasetPutPushesTheFileThenQueuesThePutOfItsDigestUnderItsOwnName() throws Exception {
        java.nio.file.Path file = java.nio.file.Files.createTempFile("scene", ".pgm");
        java.nio.file.Files.writeString(file, "P5 1 1 255 x");
        String digest = "sha256:" + "ab".repeat(32);
        ground.on("POST /api/v1/images", 201, "{\"digest\":\"" + digest + "\",\"size\":12,\"chunks\":1}");
        ground.on("POST /api/v1/satellites/sat-1/dataset-ops", 202, """
                {"id":4,"satellite":"sat-1","op":"put","state":"queued","bundle":"dataset-op.sat-1.4",
                 "dataset":"scenes","file":"a.pgm","created":"2020-01-01T00:00:00Z"}""");

        FakeServer.Result r = ground.run("dataset", "put", file.toString(), "sat-1:scenes/");

        assertEquals(0, r.status(), r.err());
        assertEquals("P5 1 1 255 x", ground.requests.get(0).body());
        assertEquals("{\"op\":\"put\",\"dataset\":\"scenes\",\"file\":\"" + file.getFileName()
                + "\",\"content\":\"" + digest + "\"}", ground.requests.get(1).body());
        assertEquals("operation 4 (put) queued for sat-1: scenes/" + file.getFileName() + " (12 bytes, " + digest
                + ") goes up from the next contact, resumed across contacts; see orchide dataset ops sat-1\n", r.out());
        assertEquals(1, ground.run("dataset", "put", file.toString(), "scenes/a.pgm").status());
        java.nio.file.Files.delete(file);
    }
}
