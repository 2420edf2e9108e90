package io.orchide.node.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.orchide.node.pipeline.run.PipelineRun;
import io.orchide.node.pipeline.run.ProductRecord;
import io.orchide.node.pipeline.run.RunOrigin;
import io.orchide.node.pipeline.run.RunState;
import io.orchide.node.pipeline.run.StepState;
import io.orchide.node.pipeline.run.StepAttempt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What the node says of a product: its files by name, their digests, the image its step ran from. */
class PipelineViewsTest {
    private static final Instant T = Instant.parse("2026-12-01T00:00:00Z");

    @Test
    void aDirectoryProductListsItsFilesAndADirectoryImageItsPath(@TempDir Path dir) throws Exception {
        Path out = Files.createDirectories(dir.resolve("outbox/cloud-filter-000003/compress/scene"));
        Files.writeString(out.resolve("scene-0001-crop.pgm.gz"), "abc");
        ProductRecord p = new ProductRecord(5, 3, "cloud-filter", "compress", null, "scene", out, 3, null, 80,
                Duration.ofDays(7), T.plus(Duration.ofDays(7)), null, Map.of(), "outbox", T);

        JsonNode list = PipelineViews.product(p);
        assertThat(list.path("files").path(0).path("name").asText()).isEqualTo("scene-0001-crop.pgm.gz");

        PipelineRun run = new PipelineRun(3, "cloud-filter", 1, 70, null, RunOrigin.manual(null), RunState.SUCCEEDED,
                null, T, T, T);
        StepAttempt compress = new StepAttempt(3, "compress", null, 1, StepState.SUCCEEDED, dir.resolve("run"), 0,
                null, null, T, T);
        JsonNode detail = PipelineViews.runDetail(run, null, List.of(), dir.resolve("ws"),
                List.of(new PipelineViews.StepRun(compress, List.of(), List.of(), "/ex/busybox/rootfs")), List.of(p))
                .path("products").path(0);
        assertThat(detail.path("files").path(0).path("sha256").asText())
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"); // sha256("abc")
        assertThat(detail.path("imagePath").asText()).isEqualTo("/ex/busybox/rootfs");
    }

    @Test
    void aFileProductKeepsItsRecordedDigest(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("cover.txt"), "23");
        ProductRecord p = new ProductRecord(6, 3, "cloud-filter", "cloud", null, "cover", f, 2, "ab".repeat(32), 50,
                Duration.ofDays(1), T.plus(Duration.ofDays(1)), "sha256:0123", Map.of(), "outbox", T);

        JsonNode n = PipelineViews.product(p);

        assertThat(n.path("files")).hasSize(1);
        assertThat(n.path("files").path(0).path("name").asText()).isEqualTo("cover.txt");
        assertThat(n.path("files").path(0).path("sha256").asText()).isEqualTo("ab".repeat(32));
        assertThat(List.of(n.path("image").asText())).containsExactly("sha256:0123");
    }
}
