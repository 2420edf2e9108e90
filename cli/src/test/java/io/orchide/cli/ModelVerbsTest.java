package io.orchide.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** get and delete models on a node, and in a satellite's desired state on ground: what is asked, what is printed. */
class ModelVerbsTest {
    private static final String DIGEST = "sha256:" + "7c2e".repeat(16);
    private static final String ITEMS = """
            {"items": [{"name": "cloud-mask", "tenant": "ocean-team", "digest": "%s", "version": "1.2.0",
              "tenants": ["ocean-team"], "accelerators": ["cpu", "gpu"], "present": true, "loaded": false}]}
            """.formatted(DIGEST);

    @RegisterExtension
    final FakeServer node = FakeServer.node();

    @RegisterExtension
    final FakeServer ground = FakeServer.ground();

    @Test
    void getModelsShowsEachModelWithItsShortDigestAndWhetherItsFileIsHere() {
        node.on("GET /api/v1/models", 200, ITEMS);

        FakeServer.Result r = node.run("get", "models");

        assertEquals(0, r.status(), r.err());
        assertEquals("GET /api/v1/models", node.only().toString());
        List<List<String>> rows = PipelineVerbsTest.rows(r.out());
        assertEquals(List.of("NAME", "TENANT", "VERSION", "ACCELERATORS", "DIGEST", "PRESENT", "LOADED"), rows.get(0));
        assertEquals(List.of("cloud-mask", "ocean-team", "1.2.0", "cpu,gpu", "sha256:7c2e7c2e7c2e", "yes", "no"), rows.get(1));
    }

    @Test
    void getModelsAsJsonPrintsTheNodesView() {
        node.on("GET /api/v1/models", 200, ITEMS);

        FakeServer.Result r = node.run("get", "model", "-o", "json");

        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains(DIGEST), r.out());
    }

    @Test
    void getModelsWithASatelliteListsTheModelsInItsDesiredStateOnlyAndOneByName() {
        ground.on("GET /api/v1/satellites/sat-1/desired", 200, """
                {"satellite":"sat-1","items":[
                 {"kind":"App","name":"probe","tenant":"ocean-team","generation":1,"manifest":{}},
                 {"kind":"Model","name":"cloud-mask","tenant":"ocean-team","generation":2,"queued":true,
                  "manifest":{"apiVersion":"orchide.io/v1","kind":"Model","metadata":{"name":"cloud-mask","tenant":"ocean-team"},
                   "spec":{"digest":"%s","version":"1.2.0","accelerators":["cpu","gpu"]}}}]}
                """.formatted(DIGEST));

        FakeServer.Result r = ground.run("get", "models", "--satellite", "sat-1");

        assertEquals(0, r.status(), r.err());
        List<List<String>> rows = PipelineVerbsTest.rows(r.out());
        assertEquals(List.of("NAME", "TENANT", "VERSION", "ACCELERATORS", "DIGEST", "SIGNER", "GENERATION"), rows.get(0));
        assertEquals(List.of(List.of("cloud-mask", "ocean-team", "1.2.0", "cpu,gpu", "sha256:7c2e7c2e7c2e", "-", "2")),
                rows.subList(1, rows.size()));
        FakeServer.Result one = ground.run("get", "model", "cloud-mask", "--satellite", "sat-1", "-o", "json");
        assertEquals(0, one.status(), one.err());
        assertTrue(one.out().contains(DIGEST) && one.out().contains("\"generation\" : 2"), one.out());
        FakeServer.Result missing = ground.run("get", "model", "nope", "--satellite", "sat-1");
        assertTrue(missing.status() != 0);
        assertTrue(missing.err().contains("no model nope in the desired state of sat-1"), missing.err());
    }

    @Test
    void deleteModelGoesToTheSatellitesDesiredStateOrToTheNode() {
        ground.on("DELETE /api/v1/satellites/sat-1/models/cloud-mask", 200, "{\"generation\":3}");
        FakeServer.Result r = ground.run("delete", "model", "cloud-mask", "--satellite", "sat-1");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("model/cloud-mask deletion queued (generation 3"), r.out());

        node.on("DELETE /api/v1/models/cloud-mask", 200, "{}");
        FakeServer.Result local = node.run("delete", "model", "cloud-mask");
        assertEquals(0, local.status(), local.err());
        assertEquals("DELETE /api/v1/models/cloud-mask", node.only().toString());
    }
}
