package io.orchide.cli.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Files going up into a satellite's dataset and large ones coming down, with real ground and node processes: a put
 * goes up as image chunks over a slow uplink, survives the node killed half-way (the link carries on where it
 * stopped) and lands whole with its lineage; a put over the dataset's quota is refused with quota, use and request; a
 * get of a file over the answer's 1 MiB comes down on its own and is fetched whole.
 */
class DatasetTransferIT {
    private static final int SIZE = 3 << 20;

    @TempDir
    Path tmp;

    @Test
    void aPutGoesUpResumedAcrossANodeKilledHalfWayAndALargeGetComesDownOnItsOwn() throws Exception {
        // 4 Mbit/s up: the 3 MiB file takes about six seconds, in 1 MiB packs
        try (Ground ground = new Ground(tmp.resolve("g"), Fixtures.freePort(), Fixtures.freePort(), "--link-rate", "4M")
                .start()) {
            Cli g = ground.cli();
            NodeHttp gh = ground.http();
            g.ok("create", "tenant", "ocean-team");
            Files.writeString(tmp.resolve("datasets.yaml"), """
                    apiVersion: orchide.io/v1
                    kind: Dataset
                    metadata: {name: scenes, tenant: ocean-team}
                    spec:
                      quota: {bytes: 20000000}
                    ---
                    apiVersion: orchide.io/v1
                    kind: Dataset
                    metadata: {name: tiny, tenant: ocean-team}
                    spec:
                      quota: {bytes: 100}
                    """);
            g.ok("apply", "-f", tmp.resolve("datasets.yaml").toString(), "--satellite", "sat-1");
            byte[] scene = new byte[SIZE];
            new Random(15).nextBytes(scene);
            Path file = Files.write(tmp.resolve("a.pgm"), scene);
            Path n1 = tmp.resolve("n1");
            Agent agent = ground.registeredNode(n1);
            try (Agent first = agent.start()) {
                NodeHttp.await(60, () -> first.http().get("/api/v1/datasets").path("items").toString(),
                        s -> s.contains("\"scenes\"") && s.contains("\"tiny\""));

                assertThat(g.ok("dataset", "put", file.toString(), "sat-1:scenes/"))
                        .contains("operation 1 (put) queued for sat-1: scenes/a.pgm (" + SIZE + " bytes, sha256:");
                assertThat(g.ok("dataset", "ops", "sat-1")).contains("going up: " + SIZE + " bytes");

                // the link cut half-way: the node dies once some of the file's chunks are on board
                NodeHttp.await(60, () -> chunks(n1), n -> n > 0);
                assertThat(n1.resolve("datasets/scenes/a.pgm")).doesNotExist();
                first.kill9();
            }
            try (Agent again = agent.start()) {
                JsonNode put = NodeHttp.await(120, () -> gh.get("/api/v1/satellites/sat-1/dataset-ops/1"),
                        o -> !o.path("state").asText().equals("queued"));
                assertThat(put.path("state").asText()).isEqualTo("done");
                assertThat(put.path("message").asText()).startsWith("put scenes/a.pgm (" + SIZE + " bytes, sha256:");
                assertThat(Files.readAllBytes(n1.resolve("datasets/scenes/a.pgm"))).isEqualTo(scene);
                JsonNode lineage = again.http().get("/api/v1/datasets/scenes/files/a.pgm").path("lineage");
                assertThat(lineage.path("uplinkedBy").asText()).isNotEmpty();
                assertThat("sha256:" + lineage.path("sha256").asText()).isEqualTo(put.path("upload").asText());

                // over the quota of tiny: refused by the node, with quota, use and request, shown by dataset ops
                Path small = Files.write(tmp.resolve("b.pgm"), new byte[200]);
                g.ok("dataset", "put", small.toString(), "sat-1:tiny/b.pgm");
                JsonNode refused = NodeHttp.await(60, () -> gh.get("/api/v1/satellites/sat-1/dataset-ops/2"),
                        o -> !o.path("state").asText().equals("queued"));
                assertThat(refused.path("state").asText()).isEqualTo("failed");
                assertThat(refused.path("message").asText())
                        .isEqualTo("dataset tiny would go over its quota of bytes: quota 100, use 0, request 200");
                assertThat(g.ok("dataset", "ops", "sat-1")).contains("quota 100, use 0, request 200");
                assertThat(n1.resolve("datasets/tiny/b.pgm")).doesNotExist();

                // a get over 1 MiB: answered at once, the file follows on its own; fetch saves it whole
                assertThat(g.ok("dataset", "get", "sat-1:scenes/a.pgm")).contains("orchide dataset fetch sat-1 3");
                JsonNode got = NodeHttp.await(60, () -> gh.get("/api/v1/satellites/sat-1/dataset-ops/3"),
                        o -> o.path("downlink").path("state").asText().equals("arrived"));
                assertThat(got.path("downlink").path("bytes").asLong()).isEqualTo(SIZE);
                assertThat(g.ok("dataset", "ops", "sat-1")).contains("here: " + SIZE + " bytes");
                Path saved = tmp.resolve("fetched.pgm");
                assertThat(g.ok("dataset", "fetch", "sat-1", "3", "--save", saved.toString()))
                        .contains("(" + SIZE + " bytes)");
                assertThat(Files.readAllBytes(saved)).isEqualTo(scene);
            }
        }
    }

    private static long chunks(Path node) throws Exception {
        Path dir = node.resolve("images/chunks");
        if (!Files.isDirectory(dir)) return 0;
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }
}
