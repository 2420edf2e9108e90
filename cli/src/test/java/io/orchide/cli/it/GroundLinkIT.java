package io.orchide.cli.it;

import io.orchide.testkit.Examples;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ground and a node as a user runs them, two real processes and the real link between them: desired state applied
 * on ground before the satellite ever made contact reaches it at its first contact (the kernel uplinked by content);
 * the node reports back; products come down with their lineage; and through an outage with the node rebooted and
 * ground killed, the node keeps its workloads and pipelines running and nothing is lost.
 */
class GroundLinkIT {
    @TempDir
    Path tmp;

    @Test
    void desiredStateGoesUpAndProductsComeDownThroughOutagesAndReboots() throws Exception {
        int apiPort = Fixtures.freePort();
        int linkPort = Fixtures.freePort();
        int nodePort = Fixtures.freePort();
        try (Ground ground = new Ground(tmp.resolve("g"), apiPort, linkPort).start()) {
            Cli g = ground.cli();
            NodeHttp gh = ground.http();

            // desired state for a satellite that has never made contact: the kernel is pushed by content
            Path app = Fixtures.hello(tmp, "greeter", "x86_64", "\"message=greeter\", \"seconds=3600\"", "{policy: Always}");
            assertThat(g.ok("apply", "-f", app.toString(), "--satellite", "sat-1"))
                    .contains("app/greeter created (generation 1, delivered to sat-1 at its next contact)");
            Path pipeline = PipelineFixtures.containerPipeline(tmp, "snap", """
                    triggers:
                      - onEvent: {name: capture}
                    """, PipelineFixtures.step("shoot", "echo product-of-$RANDOM > /out/frame.txt", """
                    outputs:
                      - {name: img, path: frame.txt, product: {priority: 70}}
                    """));
            assertThat(g.ok("apply", "-f", pipeline.toString(), "--satellite", "sat-1")).contains("pipeline/snap created");
            // a pipeline whose step boots a kernel from this machine: the kernel goes up by content, as an App's
            Examples.cloudcoverKernel();
            assertThat(g.ok("apply", "-f", Agent.REPO.resolve("examples/pipelines/cloud-filter.yaml").toString(),
                    "--satellite", "sat-1")).contains("pipeline/cloud-filter created");

            Agent agent = ground.node(tmp.resolve("n1"), nodePort, "--storage-limit", "512Mi");
            try (Agent node = ground.registered("sat-1", agent).start()) {
                NodeHttp nh = node.http();
                // first contact: the node registers, takes the desired state, boots the uplinked kernel
                NodeHttp.await(90, () -> nh.getOrMissing("/api/v1/workloads/greeter").path("state").asText(), "Running"::equals);
                assertThat(nh.get("/api/v1/workloads/greeter").path("spec").toString()).contains("\"image\":\"sha256:");
                NodeHttp.await(60, () -> nh.get("/api/v1/pipelines").path("items").size(), n -> n == 2);
                assertThat(nh.get("/api/v1/pipelines/cloud-filter").toString()).contains("sha256:")
                        .doesNotContain("cloudcover-x86_64.elf");
                // a container step's root filesystem goes up as an archive by content and is unpacked on board
                assertThat(nh.get("/api/v1/pipelines/snap").toString()).contains("sha256:").doesNotContain("rootfs");
                assertThat(g.ok("get", "satellites")).contains("sat-1").contains("1 ")
                        .as("the session is up: no last contact some seconds ago").contains("connected for");
                // every chunk of the kernel and the root filesystem was sent and taken: still counted as sent
                JsonNode chunks = NodeHttp.await(60, () -> gh.get("/api/v1/satellites/sat-1/images"),
                        c -> c.path("chunksInFlight").asInt() == 0);
                assertThat(chunks.path("chunksSent").asInt()).isPositive().isEqualTo(chunks.path("chunksHeld").asInt());
                JsonNode sat = gh.get("/api/v1/satellites/sat-1");
                assertThat(sat.path("nodes").path(0).path("name").asText()).isEqualTo("n1");
                assertThat(sat.path("nodes").path(0).path("arch").asText()).isEqualTo("x86_64");
                NodeHttp.await(60, () -> g.ok("get", "workloads", "--satellite", "sat-1"),
                        out -> out.contains("greeter") && out.contains("Running"));

                // a command from ground starts a run on board; its product comes down with lineage
                g.ok("event", "capture", "--satellite", "sat-1");
                JsonNode product = NodeHttp.await(120, () -> gh.getOrMissing("/api/v1/products?satellite=sat-1").path("items"),
                        items -> items.size() == 1).get(0);
                assertThat(product.path("lineage").path("pipeline").asText()).isEqualTo("snap");
                assertThat(product.path("priority").asInt()).isEqualTo(70);
                Path got = tmp.resolve("frame.txt");
                g.ok("products", "get", product.path("id").asText(), "-o", got.toString());
                assertThat(Files.readString(got)).startsWith("product-of-");
                try (var trees = Files.list(tmp.resolve("n1/images/trees"))) {
                    assertThat(trees.toList()).singleElement()
                            .satisfies(t -> assertThat(t.resolve("bin/busybox")).isRegularFile());
                }
                assertThat(g.ok("get", "products")).contains("frame.txt");

                // the node's storage runs into its reserve: it tells ground, which lists it among the satellite's events
                JsonNode storage = nh.get("/api/v1/storage?refresh=true");
                Path filler = tmp.resolve("n1/filler");
                try (var f = new java.io.RandomAccessFile(filler.toFile(), "rw")) {
                    f.setLength(storage.path("freeBytes").asLong() - storage.path("reserveBytes").asLong() / 2);
                }
                assertThat(nh.get("/api/v1/storage?refresh=true").path("level").asText()).isEqualTo("full");
                NodeHttp.await(60, () -> g.ok("get", "events", "--satellite", "sat-1"), out -> out.contains("storage full"));
                Files.delete(filler);
                assertThat(nh.get("/api/v1/storage?refresh=true").path("level").asText()).isEqualTo("ok");

                // outage: the contact is closed, the node is rebooted, ground is killed
                nh.post("/api/v1/link", "{\"open\": false}");
                NodeHttp.await(30, () -> gh.get("/api/v1/satellites/sat-1").path("connected").asBoolean(), c -> !c);
                assertThat(g.ok("get", "satellites")).doesNotContain("connected for").containsPattern("sat-1 +1 +\\d+s ago");
                ground.kill9();
                node.kill9();
            }
            // the same node (its key registered above), rebooted while ground is down
            try (Agent node = agent.start()) {
                NodeHttp nh = node.http();
                // restored from its own store, without ground: the workload and the pipeline go on
                NodeHttp.await(60, () -> nh.getOrMissing("/api/v1/workloads/greeter").path("state").asText(), "Running"::equals);
                List<String> runs = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    runs.add(nh.post("/api/v1/events", "{\"name\": \"capture\"}").path("runs").get(0).asText());
                }
                for (String r : runs) {
                    NodeHttp.await(90, () -> nh.run(r).path("state").asText(), s -> s.equals("succeeded"));
                }
                // ground comes back: the products made while it was away reach it, each once
                ground.start();
                JsonNode items = NodeHttp.await(120, () -> gh.getOrMissing("/api/v1/products?satellite=sat-1").path("items"),
                        i -> i.size() >= 4);
                assertThat(items).hasSize(4);
                List<String> runsDown = new ArrayList<>();
                items.forEach(p -> runsDown.add(p.path("run").asText()));
                assertThat(runsDown).containsAll(runs).doesNotHaveDuplicates();
                NodeHttp.await(60, () -> gh.get("/api/v1/satellites/sat-1/runs").path("items").size(), n -> n >= 4);
                nh.delete("/api/v1/workloads/greeter"); // its VM would outlive the agent (by design) and load later tests
            }
        }
    }
}
