package io.orchide.cli.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node out of contact for a simulated week (its clock 20,000 times faster than real time): its scheduled pipeline
 * runs every 6 simulated hours with no ground, products pile up on board and in the link's queue, and when ground
 * appears every one of them comes down, once.
 */
class OfflineWeekIT {
    static final double SPEED = 20_000;

    @TempDir
    Path tmp;

    @Test
    void aWeekWithoutGroundLosesNothing() throws Exception {
        int apiPort = Fixtures.freePort();
        int linkPort = Fixtures.freePort(); // nothing listens here for the whole week
        int nodePort = Fixtures.freePort();
        Path pipeline = PipelineFixtures.containerPipeline(tmp, "survey", """
                triggers:
                  - schedule: {every: 6h}
                """, PipelineFixtures.step("shoot", "echo survey-$RANDOM > /out/frame.txt", """
                outputs:
                  - {name: img, path: frame.txt, product: {priority: 60, retention: 30d}}
                """));
        // the node is installed with ground's key before that ground ever runs (ground loads it at its first start)
        Ground later = new Ground(tmp.resolve("g"), apiPort, linkPort);
        try (Agent node = new Agent(tmp.resolve("n1"), nodePort, "--satellite", "sat-1", "--ground", "127.0.0.1:" + linkPort,
                "--ground-key", later.publicKey().toString(), "--node-name", "n1", "--clock-speed", Double.toString(SPEED)).start()) {
            NodeHttp nh = node.http();
            node.cli().ok("apply", "-f", pipeline.toString());
            // a week of simulated time: 7 x 24 h / 6 h = 28 scheduled runs, about 30 s of real time
            NodeHttp.await(120, () -> succeeded(nh).size(), n -> n >= 28);
            node.cli().ok("delete", "pipeline", "survey");
            NodeHttp.await(30, nh::runs, runs -> runs.stream().noneMatch(r -> r.path("state").asText().matches("queued|running")));
            List<String> done = succeeded(nh);
            assertThat(done.size()).isGreaterThanOrEqualTo(28);
            assertThat(nh.runs()).allMatch(r -> r.path("state").asText().matches("succeeded|cancelled"));
            // every product waits in the link's queue on disk (queued shortly after its run, when the downlink settles)
            JsonNode products = NodeHttp.await(30, () -> nh.get("/api/v1/products").path("items"), i -> allIn(i, "queued"));
            assertThat(products).hasSize(done.size());
            assertThat(nh.get("/api/v1/link").path("peers").path(0).path("connected").asBoolean()).isFalse();

            // ground appears: everything made during the week comes down, each product once
            try (Ground ground = later.start()) {
                ground.register("sat-1", node);
                NodeHttp gh = ground.http();
                JsonNode down = NodeHttp.await(120, () -> gh.get("/api/v1/products?satellite=sat-1&limit=1000").path("items"),
                        i -> i.size() >= done.size());
                Set<String> runs = new HashSet<>();
                down.forEach(p -> runs.add(p.path("run").asText()));
                assertThat(down).hasSize(done.size());
                assertThat(runs).containsExactlyInAnyOrderElementsOf(done);
                NodeHttp.await(60, () -> nh.get("/api/v1/products").path("items"), i -> allIn(i, "downlinked"));
            }
        }
    }

    private static boolean allIn(JsonNode products, String state) {
        for (JsonNode p : products) if (!p.path("state").asText().equals(state)) return false;
        return true;
    }

    private static List<String> succeeded(NodeHttp nh) throws Exception {
        List<String> out = new ArrayList<>();
        for (JsonNode r : nh.runs()) if (r.path("state").asText().equals("succeeded")) out.add(r.path("name").asText());
        return out;
    }
}
