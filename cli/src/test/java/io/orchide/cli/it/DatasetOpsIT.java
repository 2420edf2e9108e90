package io.orchide.cli.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Dataset operations through ground with real ground and node processes: a copy asked of ground goes up at the
 * contact, the node does it and answers, ground shows the outcome and answers a listing from the node's report; an
 * operation the node cannot do comes back failed with its reason.
 */
class DatasetOpsIT {
    @TempDir
    Path tmp;

    @Test
    void aCopyAskedOfGroundIsDoneOnBoardAndItsOutcomeAndTheListingComeBack() throws Exception {
        try (Ground ground = new Ground(tmp.resolve("g"), Fixtures.freePort(), Fixtures.freePort()).start()) {
            Cli g = ground.cli();
            NodeHttp gh = ground.http();
            g.ok("create", "tenant", "ocean-team");
            for (String name : new String[] {"scenes", "archive"}) {
                Path f = tmp.resolve(name + ".yaml");
                Files.writeString(f, """
                        apiVersion: orchide.io/v1
                        kind: Dataset
                        metadata: {name: %s, tenant: ocean-team}
                        spec:
                          quota: {files: 10}
                        """.formatted(name));
                assertThat(g.ok("apply", "-f", f.toString(), "--satellite", "sat-1")).contains("dataset/" + name);
            }
            try (Agent node = ground.registeredNode(tmp.resolve("n1")).start()) {
                NodeHttp nh = node.http();
                NodeHttp.await(60, () -> nh.get("/api/v1/datasets").path("items").toString(),
                        s -> s.contains("\"archive\"") && s.contains("\"scenes\""));
                Files.writeString(tmp.resolve("n1/datasets/scenes/a.pgm"), "P5 1 1 255 x");

                assertThat(g.ok("dataset", "cp", "sat-1:scenes/a.pgm", "sat-1:archive/"))
                        .contains("queued for sat-1: done at its next contact");
                JsonNode done = NodeHttp.await(60, () -> gh.get("/api/v1/satellites/sat-1/dataset-ops").path("items"),
                        items -> items.size() == 1 && !items.get(0).path("state").asText().equals("queued"));
                assertThat(done.get(0).path("state").asText()).isEqualTo("done");
                assertThat(done.get(0).path("message").asText()).isEqualTo("copied scenes/a.pgm to archive/a.pgm");
                assertThat(Files.readString(tmp.resolve("n1/datasets/archive/a.pgm"))).isEqualTo("P5 1 1 255 x");
                assertThat(g.ok("dataset", "ls", "sat-1:archive")).contains("sat-1:archive on n1").contains("a.pgm");
                assertThat(g.ok("dataset", "ops", "sat-1")).contains("done");

                g.ok("dataset", "rm", "sat-1:scenes/missing.pgm");
                JsonNode failed = NodeHttp.await(60, () -> gh.get("/api/v1/satellites/sat-1/dataset-ops").path("items"),
                        items -> items.size() == 2 && !items.get(0).path("state").asText().equals("queued"));
                assertThat(failed.get(0).path("state").asText()).isEqualTo("failed");
                assertThat(failed.get(0).path("message").asText())
                        .isEqualTo("file: no file missing.pgm in dataset scenes (got missing.pgm)");
                assertThat(tmp.resolve("n1/datasets/scenes/a.pgm")).exists();

                // a get brings the file down in the node's answer; fetch saves it
                assertThat(g.ok("dataset", "get", "sat-1:archive/a.pgm")).contains("then orchide dataset fetch sat-1 3");
                NodeHttp.await(60, () -> gh.get("/api/v1/satellites/sat-1/dataset-ops/3").path("state").asText(),
                        "done"::equals);
                Path saved = tmp.resolve("fetched.pgm");
                assertThat(g.ok("dataset", "fetch", "sat-1", "3", "--save", saved.toString())).contains("(12 bytes)");
                assertThat(Files.readString(saved)).isEqualTo("P5 1 1 255 x");
            }
        }
    }
}
