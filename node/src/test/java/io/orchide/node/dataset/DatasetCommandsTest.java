package io.orchide.node.dataset;

import io.orchide.model.message.DatasetCommand;
import io.orchide.model.message.DatasetResult;
import io.orchide.node.layout.NodeLayout;
import io.orchide.node.store.NodeDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static io.orchide.node.dataset.Datasets.dataset;
import static org.assertj.core.api.Assertions.assertThat;

class DatasetCommandsTest {
    private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");

    @TempDir
    Path tmp;

    private static DatasetCommand command(String op, String tenant, String dataset, String file, String to) {
        return new DatasetCommand(1, op, tenant, dataset, file, to, null, NOW);
    }

    @Test
    void aCopyForTheOwningTenantIsDoneAndTheResultListsTheDatasetsAfterIt() throws Exception {
        NodeLayout layout = NodeLayout.of(tmp);
        try (NodeDatabase db = NodeDatabase.open(layout)) {
            DatasetRegistry registry = new DatasetRegistry(db.writer(), layout, Clock.systemUTC());
            registry.apply(dataset("scenes", "ocean", "quota: {files: 5}"));
            registry.apply(dataset("archive", "ocean", "quota: {bytes: 10}"));
            Files.write(layout.dataset("scenes").resolve("a.pgm"), new byte[6]);
            DatasetCommands commands = new DatasetCommands(new DatasetFiles(layout, registry), "node-a",
                    Clock.fixed(NOW, ZoneOffset.UTC));

            DatasetResult r = commands.execute(command(DatasetCommand.CP, "ocean", "scenes", "a.pgm", "archive"));

            assertThat(r.outcome()).isEqualTo(DatasetResult.DONE);
            assertThat(r.message()).isEqualTo("copied scenes/a.pgm to archive/a.pgm");
            assertThat(r.node()).isEqualTo("node-a");
            DatasetResult.Listing archive = r.datasets().stream().filter(l -> l.name().equals("archive")).findFirst()
                    .orElseThrow();
            assertThat(archive.tenant()).isEqualTo("ocean");
            assertThat(archive.bytes()).isEqualTo(6);
            assertThat(archive.quotaBytes()).isEqualTo(10);
            assertThat(archive.items()).extracting(DatasetResult.FileEntry::name).containsExactly("a.pgm");

            // a second copy would take archive over its 10 bytes: refused with quota, use and request, nothing written
            DatasetResult over = commands.execute(new DatasetCommand(2, DatasetCommand.CP, "ocean", "scenes", "a.pgm",
                    "archive", "b.pgm", NOW));
            assertThat(over.outcome()).isEqualTo(DatasetResult.FAILED);
            assertThat(over.message())
                    .isEqualTo("dataset archive would go over its quota of bytes: quota 10, use 6, request 6");
            assertThat(layout.dataset("archive").resolve("b.pgm")).doesNotExist();
        }
    }

    @Test
    void anotherTenantIsRefusedNamingTheFieldAndTheDatasetAndNothingChanges() throws Exception {
        NodeLayout layout = NodeLayout.of(tmp);
        try (NodeDatabase db = NodeDatabase.open(layout)) {
            DatasetRegistry registry = new DatasetRegistry(db.writer(), layout, Clock.systemUTC());
            registry.apply(dataset("scenes", "ocean", "access: {read: {tenants: [ocean, fire]}}"));
            registry.apply(dataset("burnt", "fire", "quota: {files: 5}"));
            Files.write(layout.dataset("scenes").resolve("a.pgm"), new byte[4]);
            Files.createDirectories(layout.dataset("camera"));
            DatasetCommands commands = new DatasetCommands(new DatasetFiles(layout, registry), "node-a",
                    Clock.fixed(NOW, ZoneOffset.UTC));

            DatasetResult rm = commands.execute(command(DatasetCommand.RM, "fire", "scenes", "a.pgm", null));
            assertThat(rm.outcome()).isEqualTo(DatasetResult.FAILED);
            assertThat(rm.message()).isEqualTo("dataset: is not a dataset tenant fire may change (got scenes)");
            DatasetResult intoOcean = commands.execute(command(DatasetCommand.CP, "fire", "burnt", "x", "scenes"));
            assertThat(intoOcean.message()).startsWith("to: is not a dataset tenant fire may change (got scenes)");
            DatasetResult camera = commands.execute(command(DatasetCommand.LS, "fire", "camera", null, null));
            assertThat(camera.message()).isEqualTo("dataset: is not a dataset tenant fire may read (got camera)");
            assertThat(layout.dataset("scenes").resolve("a.pgm")).exists();

            // read access is enough to copy out of a dataset into one the tenant owns
            DatasetResult copied = commands.execute(command(DatasetCommand.CP, "fire", "scenes", "a.pgm", "burnt"));
            assertThat(copied.outcome()).isEqualTo(DatasetResult.DONE);
            DatasetResult missing = commands.execute(command(DatasetCommand.RM, "fire", "burnt", "nope.pgm", null));
            assertThat(missing.message()).isEqualTo("file: no file nope.pgm in dataset burnt (got nope.pgm)");
        }
    }

    @Test
    void aGetBringsTheFilesBytesForAReaderAndRefusesAFileTooLargeForOneAnswer() throws Exception {
        NodeLayout layout = NodeLayout.of(tmp);
        try (NodeDatabase db = NodeDatabase.open(layout)) {
            DatasetRegistry registry = new DatasetRegistry(db.writer(), layout, Clock.systemUTC());
            registry.apply(dataset("scenes", "ocean", "quota: {files: 5}"));
            Files.write(layout.dataset("scenes").resolve("a.pgm"), new byte[] {7, 8, 9});
            Files.write(layout.dataset("scenes").resolve("big.pgm"), new byte[DatasetResult.MAX_CONTENT + 1]);
            DatasetCommands commands = new DatasetCommands(new DatasetFiles(layout, registry), "node-a",
                    Clock.fixed(NOW, ZoneOffset.UTC));

            DatasetResult got = commands.execute(command(DatasetCommand.GET, "ocean", "scenes", "a.pgm", null));
            assertThat(got.outcome()).isEqualTo(DatasetResult.DONE);
            assertThat(got.content()).containsExactly(7, 8, 9);
            DatasetResult other = commands.execute(command(DatasetCommand.GET, "fire", "scenes", "a.pgm", null));
            assertThat(other.message()).isEqualTo("dataset: is not a dataset tenant fire may read (got scenes)");
            assertThat(other.content()).isNull();
            DatasetResult big = commands.execute(command(DatasetCommand.GET, "ocean", "scenes", "big.pgm", null));
            assertThat(big.outcome()).isEqualTo(DatasetResult.FAILED);
            assertThat(big.message()).isEqualTo("file: is 1048577 bytes, more than the 1048576 a get brings down "
                    + "(got big.pgm)");
        }
    }
}
