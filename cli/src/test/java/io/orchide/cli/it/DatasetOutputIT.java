package io.orchide.cli.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A pipeline step's output written into a declared dataset by the real agent: it lands whole under the run's name,
 * with its lineage, counts against the dataset's quota (a run over it fails with quota, use and request), and a
 * pipeline that may not write the dataset is refused at apply naming the output's field; a step reads a whole dataset
 * (the files a glob matches) as an input.
 */
class DatasetOutputIT {
    @TempDir
    Path tmp;
    private Agent agent;
    private Cli cli;
    private NodeHttp api;

    @BeforeEach
    void start() throws Exception {
        Fixtures.busyboxRootfs();
        agent = new Agent(tmp.resolve("node"), Fixtures.freePort()).start();
        cli = agent.cli();
        api = agent.http();
    }

    @AfterEach
    void stop() throws Exception {
        agent.close();
    }

    @Test
    void aStepsOutputLandsInItsDatasetWithLineageWithinTheQuota() throws Exception {
        Path dataset = tmp.resolve("results.yaml");
        Files.writeString(dataset, """
                apiVersion: orchide.io/v1
                kind: Dataset
                metadata: {name: results}
                spec:
                  quota: {files: 1}
                  access:
                    write: {pipelines: [detect]}
                """);
        assertThat(cli.ok("apply", "-f", dataset.toString())).contains("dataset/results created");
        Path pipeline = PipelineFixtures.containerPipeline(tmp, "detect", "triggers: [{manual: {}}]",
                PipelineFixtures.step("find", "echo ships: 3 > /out/ships.txt", """
                        outputs:
                          - {name: ships, path: ships.txt, dataset: results}
                        """));
        assertThat(cli.ok("apply", "-f", pipeline.toString())).contains("pipeline/detect created");

        cli.ok("run", "pipeline", "detect");
        cli.ok("wait", "run", "detect-000001", "--timeout", "120s");
        assertThat(api.run("detect-000001").path("state").asText()).isEqualTo("succeeded");
        Path written = tmp.resolve("node/datasets/results/detect-000001.find.ships.txt");
        assertThat(Files.readString(written)).isEqualTo("ships: 3\n");
        assertThat(cli.ok("dataset", "ls", "results")).contains("detect-000001.find.ships.txt");
        JsonNode file = api.get("/api/v1/datasets/results/files/detect-000001.find.ships.txt");
        assertThat(file.path("lineage").path("run").asText()).isEqualTo("detect-000001");
        assertThat(file.path("lineage").path("step").asText()).isEqualTo("find");
        assertThat(file.path("lineage").path("output").asText()).isEqualTo("ships");
        assertThat(file.path("lineage").path("sha256").asText()).hasSize(64);

        // the dataset holds its one file: the next run's output would take it over, so the step fails and says why
        cli.ok("run", "pipeline", "detect");
        cli.run("wait", "run", "detect-000002", "--timeout", "120s");
        JsonNode second = api.run("detect-000002");
        assertThat(second.path("state").asText()).isEqualTo("failed");
        assertThat(second.toString()).contains("dataset results would go over its quota of files: quota 1, use 1, "
                + "request 1");
        assertThat(tmp.resolve("node/datasets/results/detect-000002.find.ships.txt")).doesNotExist();

        // another pipeline, not in the write list, is refused at apply, naming the output's field and the dataset
        Path other = PipelineFixtures.containerPipeline(tmp, "other", "triggers: [{manual: {}}]",
                PipelineFixtures.step("find", "true", """
                        outputs:
                          - {name: ships, path: ships.txt, dataset: results}
                        """));
        Cli.Result refused = cli.run("apply", "-f", other.toString());
        assertThat(refused.status()).isNotZero();
        assertThat(refused.out() + refused.err()).contains("spec.steps[0].outputs[0].dataset")
                .contains("results").contains("may write");
        assertThat(cli.run("get", "pipeline", "other").status()).isNotZero();
    }

    @Test
    void aStepReadsTheFilesOfADatasetThatAGlobMatchesAsOneInput() throws Exception {
        Path datasets = tmp.resolve("datasets.yaml");
        Files.writeString(datasets, """
                apiVersion: orchide.io/v1
                kind: Dataset
                metadata: {name: scenes}
                ---
                apiVersion: orchide.io/v1
                kind: Dataset
                metadata: {name: results}
                """);
        cli.ok("apply", "-f", datasets.toString());
        NodeHttp.await(30, () -> Files.isDirectory(tmp.resolve("node/datasets/scenes")), ok -> ok);
        Files.writeString(tmp.resolve("node/datasets/scenes/a.pgm"), "P5 a");
        Files.writeString(tmp.resolve("node/datasets/scenes/b.pgm"), "P5 b");
        Files.writeString(tmp.resolve("node/datasets/scenes/notes.txt"), "not a scene");
        Path pipeline = PipelineFixtures.containerPipeline(tmp, "mosaic", "triggers: [{manual: {}}]",
                PipelineFixtures.step("stitch", "ls /in/scenes > /out/list.txt && cat /in/scenes/b.pgm >> /out/list.txt",
                        """
                        inputs:
                          - {name: scenes, from: "datasets.scenes/*.pgm"}
                        outputs:
                          - {name: list, path: list.txt, dataset: results}
                        """));
        assertThat(cli.ok("apply", "-f", pipeline.toString())).contains("pipeline/mosaic created");

        cli.ok("run", "pipeline", "mosaic");
        cli.ok("wait", "run", "mosaic-000001", "--timeout", "120s");

        assertThat(api.run("mosaic-000001").path("state").asText()).isEqualTo("succeeded");
        assertThat(Files.readString(tmp.resolve("node/datasets/results/mosaic-000001.stitch.list.txt")))
                .isEqualTo("a.pgm\nb.pgm\nP5 b");
    }
}
