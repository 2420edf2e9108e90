package io.orchide.node.dataset;

import io.orchide.model.Dataset;
import io.orchide.model.FieldError;
import io.orchide.node.layout.NodeLayout;
import io.orchide.node.store.NodeDatabase;
import io.orchide.node.workload.ApplyResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

import static io.orchide.node.dataset.Datasets.dataset;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class DatasetRegistryTest {
    @TempDir
    Path tmp;

    @Test
    void aDeclaredDatasetSurvivesARestartOfTheAgent() throws Exception {
        NodeLayout layout = NodeLayout.of(tmp);
        Dataset archive = dataset("archive", "ocean-team", "quota: {bytes: 1Mi}");
        try (NodeDatabase db = NodeDatabase.open(layout)) {
            DatasetRegistry registry = new DatasetRegistry(db.writer(), layout, Clock.systemUTC());
            assertThat(registry.apply(archive)).isEqualTo(ApplyResult.CREATED);
            assertThat(registry.apply(archive)).isEqualTo(ApplyResult.UNCHANGED);
        }
        Files.delete(layout.datasetDeclaration("archive")); // as if lost between the row and the file
        try (NodeDatabase db = NodeDatabase.open(layout)) {
            DatasetRegistry registry = new DatasetRegistry(db.writer(), layout, Clock.systemUTC());
            assertThat(registry.get("archive")).contains(archive);
            assertThat(DatasetDeclaration.read(layout.dataset("archive"))).contains(archive);
            assertThat(registry.apply(dataset("archive", "ocean-team", "quota: {bytes: 2Mi}")))
                    .isEqualTo(ApplyResult.CONFIGURED);
        }
    }

    @Test
    void aNameDeclaredByOneTenantIsRefusedToAnotherAndNothingChanges() throws Exception {
        NodeLayout layout = NodeLayout.of(tmp);
        try (NodeDatabase db = NodeDatabase.open(layout)) {
            DatasetRegistry registry = new DatasetRegistry(db.writer(), layout, Clock.systemUTC());
            Dataset ocean = dataset("archive", "ocean-team", "quota: {files: 3}");
            registry.apply(ocean);
            DatasetRefusedException e = catchThrowableOfType(DatasetRefusedException.class,
                    () -> registry.apply(dataset("archive", "fire-team", "quota: {files: 9}")));
            assertThat(e.errors()).extracting(FieldError::path, FieldError::value)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("metadata.name", "archive"));
            assertThat(registry.get("archive")).contains(ocean);
            assertThat(DatasetDeclaration.read(layout.dataset("archive"))).contains(ocean);
        }
    }

    @Test
    void forgettingADeclarationKeepsTheFilesAndLiftsTheQuota() throws Exception {
        NodeLayout layout = NodeLayout.of(tmp);
        try (NodeDatabase db = NodeDatabase.open(layout)) {
            DatasetRegistry registry = new DatasetRegistry(db.writer(), layout, Clock.systemUTC());
            registry.apply(dataset("archive", "ocean-team", "quota: {files: 1}"));
            Files.write(layout.dataset("archive").resolve("a.pgm"), new byte[] {1});
            assertThat(registry.delete("archive")).isTrue();
            assertThat(registry.list()).isEmpty();
            assertThat(layout.dataset("archive").resolve("a.pgm")).exists();
            DatasetDeclaration.checkRoom(layout.dataset("archive"), 100); // no quota left: no refusal
        }
    }
}
