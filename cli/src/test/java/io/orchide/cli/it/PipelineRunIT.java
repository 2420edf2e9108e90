package io.orchide.cli.it;

import io.orchide.testkit.Examples;
import com.fasterxml.jackson.databind.JsonNode;
import io.orchide.twin.sensor.PgmHeader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pipelines run for real: the example cloud filter (the cloudcover unikernel under qemu, then busybox containers
 * under runc), with data passed between steps, both branches of its {@code when}, products with lineage; manual
 * runs, named and chained events, cancellation, retries.
 */
class PipelineRunIT {
    @TempDir
    Path tmp;
    private Agent agent;
    private Cli cli;
    private NodeHttp api;

    @BeforeEach
    void start() throws Exception {
        Examples.cloudcoverKernel();
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
    void cloudFilterKeepsTheClearSceneAsAProductAndDropsTheCloudyOne() throws Exception {
        assertThat(cli.ok("apply", "-f", Agent.REPO.resolve("examples/pipelines/cloud-filter.yaml").toString()))
                .contains("pipeline/cloud-filter created");
        assertThat(cli.ok("get", "pipelines")).contains("cloud-filter").contains("onData camera *.pgm");
        Path camera = tmp.resolve("node/datasets/camera");
        byte[] clear = PipelineFixtures.scene(64, 50, 12);
        byte[] cloudy = PipelineFixtures.scene(64, 50, 60);
        PipelineFixtures.drop(camera, "scene-0001.pgm", clear);
        PipelineFixtures.drop(camera, "scene-0002.pgm", cloudy);

        List<JsonNode> runs = NodeHttp.await(60, api::runs, l -> l.size() == 2);
        for (JsonNode r : runs) cli.ok("wait", "run", r.path("name").asText(), "--timeout", "120s");
        JsonNode clearRun = api.run("cloud-filter-000001");
        JsonNode cloudyRun = api.run("cloud-filter-000002");
        assertThat(clearRun.path("trigger").path("detail").asText()).endsWith("scene-0001.pgm");
        assertThat(clearRun.path("state").asText()).isEqualTo("succeeded");
        assertThat(cloudyRun.path("state").asText()).isEqualTo("succeeded");

        // the unikernel read the scene through the workspace and wrote its cover, which the when conditions read
        Path ws = Path.of(clearRun.path("workspace").asText());
        assertThat(Files.readString(ws.resolve("steps/cloud/out/cover.txt"))).isEqualTo("12\n");
        assertThat(state(clearRun, "compress")).isEqualTo("succeeded");
        assertThat(state(clearRun, "drop")).isEqualTo("skipped");
        assertThat(state(cloudyRun, "compress")).isEqualTo("skipped");
        assertThat(state(cloudyRun, "drop")).isEqualTo("succeeded");
        Path cloudyWs = Path.of(cloudyRun.path("workspace").asText());
        assertThat(Files.readString(cloudyWs.resolve("steps/drop/out/note.txt"))).isEqualTo("dropped: cloud cover 60%\n");

        // the clear scene waits in the outbox, compressed, with its lineage; the cloudy one left nothing
        JsonNode products = api.get("/api/v1/products").path("items");
        assertThat(products).hasSize(1);
        JsonNode p = products.get(0);
        assertThat(p.path("run").asText()).isEqualTo("cloud-filter-000001");
        assertThat(p.path("step").asText()).isEqualTo("compress");
        assertThat(p.path("priority").asInt()).isEqualTo(80);
        assertThat(p.path("inputs").path("scene").asText()).contains("scene-0001.pgm sha256:" + sha256(clear));
        Path gz = Path.of(p.path("path").asText()).resolve("scene-0001-crop.pgm.gz");
        // the centred window of half the width and height: 32x25 from (16,12) of the 64x50 scene, pixel for pixel
        byte[] crop = gunzip(Files.readAllBytes(gz));
        PgmHeader cropHeader = PgmHeader.parse(crop);
        assertThat(List.of(cropHeader.width(), cropHeader.height(), cropHeader.maxval())).containsExactly(32, 25, 255);
        assertThat(Arrays.copyOfRange(crop, cropHeader.dataOffset(), crop.length)).isEqualTo(window(clear, 16, 12, 32, 25));
        assertThat(gz.startsWith(tmp.resolve("node/outbox"))).isTrue();
        assertThat(cli.ok("get", "products")).contains("cloud-filter-000001").contains("compress");
        assertThat(cli.ok("describe", "run", "cloud-filter-000002")).contains("when steps.cloud.outputs.cover < 30 is false");
    }

    @Test
    void whenItsStorageRunsOutTheNodeDeletesTheFilesOfFinishedRunsButKeepsTheirRecordsAndTheProducts() throws Exception {
        agent.close();
        // a 64 MiB budget (reserve 6.4 MiB, low mark twice that) on a clock 60 times faster: a minute is a second
        agent = new Agent(tmp.resolve("small"), Fixtures.freePort(), "--storage-limit", "64Mi", "--clock-speed", "60")
                .start();
        cli = agent.cli();
        api = agent.http();
        cli.ok("apply", "-f", Agent.REPO.resolve("examples/pipelines/cloud-filter.yaml").toString());
        Path camera = tmp.resolve("small/datasets/camera");
        PipelineFixtures.drop(camera, "scene-0001.pgm", PipelineFixtures.scene(64, 50, 12));
        PipelineFixtures.drop(camera, "scene-0002.pgm", PipelineFixtures.scene(64, 50, 60));
        List<JsonNode> runs = NodeHttp.await(60, api::runs, l -> l.size() == 2);
        for (JsonNode r : runs) cli.ok("wait", "run", r.path("name").asText(), "--timeout", "120s");
        Path ws = Path.of(api.run("cloud-filter-000001").path("workspace").asText());
        Path product = Path.of(api.get("/api/v1/products").path("items").get(0).path("path").asText());
        JsonNode before = api.get("/api/v1/storage?refresh=true");
        assertThat(before.path("level").asText()).isEqualTo("ok");
        assertThat(before.path("capacityBytes").asLong()).isEqualTo(64L << 20);
        long reserve = before.path("reserveBytes").asLong();

        // something else fills the storage into the reserve: a sparse file, counted whole
        Path filler = tmp.resolve("small/filler");
        try (var f = new java.io.RandomAccessFile(filler.toFile(), "rw")) {
            f.setLength(before.path("freeBytes").asLong() - reserve / 2);
        }
        Thread.sleep(2_000); // the runs ended more than a simulated minute ago
        JsonNode full = api.get("/api/v1/storage?refresh=true");
        assertThat(full.path("level").asText()).isEqualTo("full");
        assertThat(full.path("reclaimedItems").asInt()).isEqualTo(2); // the two runs' files
        assertThat(full.path("changes").toString()).contains("workspaces of finished runs");
        assertThat(ws).doesNotExist();
        assertThat(product).exists(); // waits for downlink: never reclaimed
        assertThat(camera.resolve("scene-0001.pgm")).exists(); // a dataset is the user's
        assertThat(cli.ok("get", "runs")).contains("cloud-filter-000001").contains("cloud-filter-000002");
        assertThat(cli.ok("describe", "run", "cloud-filter-000001")).contains("succeeded");

        Files.delete(filler);
        JsonNode back = api.get("/api/v1/storage?refresh=true");
        assertThat(back.path("level").asText()).isEqualTo("ok");
        assertThat(back.path("changes").toString()).contains("was full");
    }

    @Test
    void manualRunsTakeAFileAndCanBeCancelled() throws Exception {
        cli.ok("apply", "-f", PipelineFixtures.containerPipeline(tmp, "slow", "", PipelineFixtures.step("wait",
                "cat /in/scene/*; sleep 600", "inputs: [{name: scene, from: trigger}]")).toString());
        Path file = tmp.resolve("input.txt");
        Files.writeString(file, "payload\n");
        assertThat(cli.ok("run", "pipeline", "slow", "--input", "scene=" + file)).startsWith("run/slow-000001");
        // the attempt is recorded before its launch ends on a launcher thread: wait until it names its monitor
        JsonNode running = NodeHttp.await(60, () -> api.run("slow-000001"),
                r -> r.path("stepRuns").path(0).path("monitorPid").asLong() > 0);
        long pid = running.path("stepRuns").get(0).path("monitorPid").asLong();
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).contains(true);
        NodeHttp.await(30, () -> cli.ok("logs", "run", "slow-000001", "--step", "wait"), s -> s.contains("payload"));

        assertThat(cli.ok("cancel", "run", "slow-000001")).contains("cancelled");
        JsonNode ended = api.run("slow-000001");
        NodeHttp.await(30, () -> api.run("slow-000001"), r -> r.path("state").asText().equals("cancelled"));
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(ended.path("name").asText()).isEqualTo("slow-000001");
        Cli.Result again = cli.run("cancel", "run", "slow-000001");
        assertThat(again.status()).isNotZero();
        assertThat(again.err() + again.out()).contains("already cancelled");

        Cli.Result bad = cli.run("run", "pipeline", "slow", "--input", "nosuch=" + file);
        assertThat(bad.status()).isNotZero();
        assertThat(bad.err() + bad.out()).contains("inputs.nosuch");
        assertThat(api.runs()).hasSize(1);
    }

    @Test
    void eventsStartPipelinesAndARunsEndStartsTheNextOne() throws Exception {
        cli.ok("apply", "-f", PipelineFixtures.containerPipeline(tmp, "first", "triggers: [{onEvent: {name: go}}]",
                PipelineFixtures.step("hello", "echo first", "")).toString());
        cli.ok("apply", "-f", PipelineFixtures.containerPipeline(tmp, "second",
                "triggers: [{onEvent: {pipeline: first, result: succeeded}}]",
                PipelineFixtures.step("hello", "echo second", "")).toString());
        assertThat(cli.ok("event", "go")).contains("first-000001");
        JsonNode second = NodeHttp.await(60, api::runs, l -> l.size() == 2
                && l.stream().allMatch(r -> r.path("state").asText().equals("succeeded"))).get(0);
        assertThat(second.path("pipeline").asText()).isEqualTo("second");
        assertThat(second.path("trigger").path("detail").asText()).contains("first-000001");
        assertThat(cli.ok("event", "nobody-listens")).contains("no pipeline");
    }

    @Test
    void aFailingStepIsRetriedThenFailsTheRunAndSkipsWhatDependsOnIt() throws Exception {
        cli.ok("apply", "-f", PipelineFixtures.containerPipeline(tmp, "flaky", "",
                PipelineFixtures.step("fails", "echo trying; exit 3", "retries: {limit: 1, backoff: 1s}")
                        + PipelineFixtures.step("after", "echo never", "after: [fails]")
                        + PipelineFixtures.step("cleanup", "echo cleaning",
                        "after: [fails]\nwhen: \"steps.fails.exitCode != 0\"")).toString());
        cli.ok("run", "pipeline", "flaky");
        Cli.Result waited = cli.run("wait", "run", "flaky-000001", "--timeout", "60s");
        assertThat(waited.status()).isNotZero();
        JsonNode run = api.run("flaky-000001");
        assertThat(run.path("state").asText()).isEqualTo("failed");
        assertThat(run.path("reason").asText()).contains("step fails failed");
        List<JsonNode> attempts = NodeHttp.attempts(run, "fails");
        assertThat(attempts).hasSize(2);
        assertThat(attempts).allSatisfy(a -> assertThat(a.path("exitCode").asInt()).isEqualTo(3));
        assertThat(attempts.get(0).path("message").asText()).contains("retry 1 of 1");
        assertThat(state(run, "after")).isEqualTo("skipped");
        assertThat(state(run, "cleanup")).isEqualTo("succeeded");
    }

    private static String state(JsonNode run, String step) {
        List<JsonNode> a = NodeHttp.attempts(run, step);
        assertThat(a).as("attempts of " + step).isNotEmpty();
        return a.get(a.size() - 1).path("state").asText();
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    /** The pixels of the {@code w x h} window at {@code (x, y)} of a binary PGM, row after row. */
    private static byte[] window(byte[] pgm, int x, int y, int w, int h) {
        PgmHeader header = PgmHeader.parse(pgm);
        byte[] out = new byte[w * h];
        for (int row = 0; row < h; row++) {
            System.arraycopy(pgm, header.dataOffset() + (y + row) * header.width() + x, out, row * w, w);
        }
        return out;
    }

    private static byte[] gunzip(byte[] gz) throws Exception {
        try (GZIPInputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(gz))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toByteArray();
        }
    }
}
