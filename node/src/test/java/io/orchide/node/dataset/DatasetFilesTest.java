package io.orchide.node.dataset;

import io.orchide.node.layout.NodeLayout;
import io.orchide.node.store.NodeDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.stream.Stream;

import static io.orchide.node.dataset.Datasets.dataset;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DatasetFilesTest {
    @TempDir
    Path tmp;

    @Test
    void whatACopyKilledHalfWayLeftIsNeitherListedNorCountedAndTheNextCopyReplacesIt() throws Exception {
        NodeLayout layout = NodeLayout.of(tmp);
        try (NodeDatabase db = NodeDatabase.open(layout)) {
            DatasetRegistry registry = new DatasetRegistry(db.writer(), layout, Clock.systemUTC());
            registry.apply(dataset("archive", "ocean-team", "quota: {files: 1}"));
            DatasetFiles files = new DatasetFiles(layout, registry);
            Files.createDirectories(layout.dataset("scenes"));
            Files.write(layout.dataset("scenes").resolve("a.pgm"), new byte[100]);
            // a copy killed before its rename leaves only its hidden part behind
            Files.write(layout.dataset("archive").resolve(".a.pgm.part"), new byte[40]);

            assertThat(files.files("archive")).isEmpty();
            assertThat(files.get("archive").use()).isEqualTo(DatasetUse.NONE);

            files.copy("scenes", "a.pgm", "archive", null, false);
            assertThat(files.files("archive")).extracting(DatasetFiles.FileView::name, DatasetFiles.FileView::bytes)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("a.pgm", 100L));
            assertThat(names(layout.dataset("archive"))).containsExactlyInAnyOrder("a.pgm", NodeLayout.DATASET_DECLARATION);
        }
    }

    @Test
    void aMoveOverTheTargetsQuotaOrOntoATakenNameChangesNothing() throws Exception {
        NodeLayout layout = NodeLayout.of(tmp);
        try (NodeDatabase db = NodeDatabase.open(layout)) {
            DatasetRegistry registry = new DatasetRegistry(db.writer(), layout, Clock.systemUTC());
            registry.apply(dataset("archive", "ocean-team", "quota: {files: 1}"));
            DatasetFiles files = new DatasetFiles(layout, registry);
            Files.createDirectories(layout.dataset("scenes"));
            Files.write(layout.dataset("scenes").resolve("a.pgm"), new byte[] {1});
            Files.write(layout.dataset("scenes").resolve("b.pgm"), new byte[] {2});
            files.copy("scenes", "a.pgm", "archive", null, true);

            assertThatThrownBy(() -> files.copy("scenes", "b.pgm", "archive", null, true))
                    .isInstanceOfSatisfying(QuotaExceededException.class, e -> assertThat(e.what()).isEqualTo("files"));
            assertThatThrownBy(() -> files.copy("scenes", "b.pgm", "archive", "a.pgm", true))
                    .isInstanceOf(java.nio.file.FileAlreadyExistsException.class);
            assertThat(names(layout.dataset("scenes"))).containsExactly("b.pgm");
            assertThat(Files.readAllBytes(layout.dataset("archive").resolve("a.pgm"))).containsExactly(1);
            // within one dataset a move renames and takes no more room
            files.copy("archive", "a.pgm", "archive", "c.pgm", true);
            assertThat(files.files("archive")).extracting(DatasetFiles.FileView::name).containsExactly("c.pgm");
        }
    }

    private static List<String> names(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }
}
