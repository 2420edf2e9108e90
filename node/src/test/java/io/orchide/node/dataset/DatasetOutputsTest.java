package io.orchide.node.dataset;

import io.orchide.model.FieldError;
import io.orchide.node.layout.NodeLayout;
import io.orchide.node.store.NodeDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.orchide.node.dataset.Datasets.dataset;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

class DatasetOutputsTest {
    @TempDir
    Path tmp;

    private Path source(String name, int bytes) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("out"));
        return Files.write(dir.resolve(name), new byte[bytes]);
    }

    private static DatasetOutputs.Placement placement(String dataset, String name, Path source) {
        return new DatasetOutputs.Placement("scene", dataset, name, source);
    }

    @Test
    void writesTheFilesWholeWithTheirDigestAndLeavesNoPart() throws Exception {
        NodeLayout layout = NodeLayout.of(tmp.resolve("node"));
        try (NodeDatabase db = NodeDatabase.open(layout)) {
            DatasetRegistry registry = new DatasetRegistry(db.writer(), layout, Clock.systemUTC());
            registry.apply(dataset("scenes", "ocean-team", "quota: {files: 2}"));
            DatasetOutputs outputs = new DatasetOutputs(layout, registry);

            List<DatasetOutputs.Placed> placed = outputs.write("ocean-team", "ship",
                    List.of(placement("scenes", "ship-000001.run.a.pgm", source("a.pgm", 3))));

            assertThat(placed).extracting(DatasetOutputs.Placed::name, DatasetOutputs.Placed::bytes,
                            DatasetOutputs.Placed::sha256)
                    .containsExactly(tuple("ship-000001.run.a.pgm", 3L,
                            "709e80c88487a2411e1ee4dfb9f22a861492d20c4765150c0c794abd70f8147c"));
            assertThat(names(layout.dataset("scenes")))
                    .containsExactlyInAnyOrder("ship-000001.run.a.pgm", NodeLayout.DATASET_DECLARATION);
            // a retry of the same step instance replaces its own file, and counts only the difference
            outputs.write("ocean-team", "ship", List.of(placement("scenes", "ship-000001.run.a.pgm",
                    source("a.pgm", 5))));
            assertThat(Files.size(layout.dataset("scenes").resolve("ship-000001.run.a.pgm"))).isEqualTo(5);
        }
    }

    @Test
    void aWriteOverTheQuotaCarriesQuotaUseAndRequestAndWritesNothing() throws Exception {
        NodeLayout layout = NodeLayout.of(tmp.resolve("node"));
        try (NodeDatabase db = NodeDatabase.open(layout)) {
            DatasetRegistry registry = new DatasetRegistry(db.writer(), layout, Clock.systemUTC());
            registry.apply(dataset("scenes", "ocean-team", "quota: {bytes: 100}"));
            Files.write(layout.dataset("scenes").resolve("old.pgm"), new byte[60]);
            DatasetOutputs outputs = new DatasetOutputs(layout, registry);

            assertThatThrownBy(() -> outputs.write("ocean-team", "ship", List.of(
                    placement("scenes", "r.run.a.pgm", source("a.pgm", 30)),
                    placement("scenes", "r.run.b.pgm", source("b.pgm", 30)))))
                    .isInstanceOfSatisfying(QuotaExceededException.class, e -> {
                        assertThat(e.dataset()).isEqualTo("scenes");
                        assertThat(e.what()).isEqualTo("bytes");
                        assertThat(e.quota()).isEqualTo(100);
                        assertThat(e.use()).isEqualTo(60);
                        assertThat(e.request()).isEqualTo(60);
                    })
                    .hasMessage("dataset scenes would go over its quota of bytes: quota 100, use 60, request 60");
            assertThat(names(layout.dataset("scenes")))
                    .containsExactlyInAnyOrder("old.pgm", NodeLayout.DATASET_DECLARATION);
        }
    }

    @Test
    void aDatasetNotDeclaredOrNotWritableByThePipelineIsRefusedNamingTheOutputAndTheDataset() throws Exception {
        NodeLayout layout = NodeLayout.of(tmp.resolve("node"));
        try (NodeDatabase db = NodeDatabase.open(layout)) {
            DatasetRegistry registry = new DatasetRegistry(db.writer(), layout, Clock.systemUTC());
            registry.apply(dataset("archive", "ocean-team", "access: {write: {pipelines: [ship]}}"));
            Files.createDirectories(layout.dataset("camera"));
            DatasetOutputs outputs = new DatasetOutputs(layout, registry);
            Path a = source("a.pgm", 1);

            assertThatThrownBy(() -> outputs.write("ocean-team", "ship", List.of(placement("camera", "x.a.pgm", a))))
                    .isInstanceOfSatisfying(DatasetRefusedException.class, e -> assertThat(e.errors())
                            .extracting(FieldError::path, FieldError::value)
                            .containsExactly(tuple("outputs.scene.dataset", "camera")));
            assertThatThrownBy(() -> outputs.write("ocean-team", "burn", List.of(placement("archive", "x.a.pgm", a))))
                    .isInstanceOfSatisfying(DatasetRefusedException.class, e -> assertThat(e.errors())
                            .extracting(FieldError::path, FieldError::value, FieldError::message)
                            .containsExactly(tuple("outputs.scene.dataset", "archive",
                                    "is not a dataset that pipeline burn of tenant ocean-team may write")));
            assertThat(names(layout.dataset("camera"))).isEmpty();
            assertThat(names(layout.dataset("archive"))).containsExactly(NodeLayout.DATASET_DECLARATION);
        }
    }

    @Test
    void lineageFollowsAFileThroughACopyAndAMoveAndGoesWithItsDeletion() throws Exception {
        NodeLayout layout = NodeLayout.of(tmp.resolve("node"));
        try (NodeDatabase db = NodeDatabase.open(layout)) {
            DatasetRegistry registry = new DatasetRegistry(db.writer(), layout, Clock.systemUTC());
            registry.apply(dataset("scenes", "ocean-team", "quota: {files: 10}"));
            registry.apply(dataset("archive", "ocean-team", "quota: {files: 10}"));
            Files.write(layout.dataset("scenes").resolve("r.run.a.pgm"), new byte[4]);
            DatasetFileLineage written = new DatasetFileLineage("scenes", "r.run.a.pgm", "ocean-team",
                    "ship-000001", "ship", "run", null, "scene", 4, "ab", "sha256:cd", Map.of("in", "x.pgm sha256:ef"),
                    Instant.parse("2026-12-07T10:00:00Z"));
            synchronized (db.engine().lock()) {
                DatasetLineage.put(db.engine().connection(), written);
            }
            DatasetFiles files = new DatasetFiles(layout, registry, new DatasetLineage(db.products()));

            assertThat(files.file("scenes", "r.run.a.pgm").lineage()).contains(written);
            files.copy("scenes", "r.run.a.pgm", "archive", "kept.pgm", false);
            assertThat(files.file("archive", "kept.pgm").lineage()).contains(written.at("archive", "kept.pgm"));
            files.copy("scenes", "r.run.a.pgm", "scenes", "moved.pgm", true);
            assertThat(files.file("scenes", "moved.pgm").lineage()).contains(written.at("scenes", "moved.pgm"));
            Files.write(layout.dataset("scenes").resolve("r.run.a.pgm"), new byte[9]); // another file, same name
            assertThat(files.file("scenes", "r.run.a.pgm").lineage()).isEmpty();
            files.delete("archive", "kept.pgm");
            Files.write(layout.dataset("archive").resolve("kept.pgm"), new byte[4]);
            assertThat(files.file("archive", "kept.pgm").lineage()).isEmpty();
        }
    }

    private static List<String> names(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }
}
