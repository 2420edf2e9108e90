package io.orchide.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** get models on a node: what is asked, what is printed. */
class ModelVerbsTest {
    private static final String DIGEST = "sha256:" + "7c2e".repeat(16);
    private static final String ITEMS = """
            {"items": [{"name": "cloud-mask", "tenant": "ocean-team", "digest": "%s", "version": "1.2.0",
              "tenants": ["ocean-team"], "accelerators": ["cpu", "gpu"], "present": true, "loaded": false}]}
            """.formatted(DIGEST);

    @RegisterExtension
    final FakeServer node = FakeServer.node();

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
}
