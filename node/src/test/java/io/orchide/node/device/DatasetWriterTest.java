package io.orchide.node.device;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.stream.Stream;
import io.orchide.node.storage.StorageBudget;
import io.orchide.node.storage.StorageFullException;
import io.orchide.node.storage.Volume;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DatasetWriterTest {
    private static final Instant T = Instant.parse("2026-12-01T00:12:00Z");
    private static final Position WHERE = new Position(T, 48.1234, 11.5678, 420_000);

    @TempDir
    Path tmp;

    private static Frame frame(String text) {
        return new Frame(T, WHERE, Frame.canonicalName("sat-1", T), text.getBytes(StandardCharsets.UTF_8));
    }

    private static String[] names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toArray(String[]::new);
        }
    }

    @Test
    void aCaptureThatWouldEatIntoTheNodesStorageReserveIsRefusedAndNothingIsWritten() throws IOException {
        Path data = tmp.resolve("node");
        Files.createDirectories(data);
        Files.write(data.resolve("node.db"), new byte[880]);
        Volume volume = new Volume(data, StorageBudget.of(1_000, 100));
        DatasetWriter writer = new DatasetWriter(data.resolve("datasets/camera"), true, volume);
        Frame f = frame("a capture of twenty-one bytes".substring(0, 21));

        assertThatThrownBy(() -> writer.write(f)).isInstanceOfSatisfying(StorageFullException.class, e -> {
            assertThat(e.what()).isEqualTo(f.name());
            assertThat(e.freeBytes()).isEqualTo(120);
        });
        assertThat(names(data.resolve("datasets/camera"))).isEmpty();

        Files.write(data.resolve("node.db"), new byte[800]); // space returned: the same capture goes in
        assertThat(writer.write(f)).isTrue();
        assertThat(names(data.resolve("datasets/camera"))).containsExactly(f.name());
    }

    @Test
    void placesTheFileUnderItsNameInACreatedDirectoryAndLeavesNoTemporaryFile() throws IOException {
        Path dir = tmp.resolve("datasets/camera");
        DatasetWriter writer = new DatasetWriter(dir);

        assertThat(writer.write(frame("P5 1 1 255 x"))).isTrue();

        assertThat(names(dir)).containsExactly("scene-sat-1-20261201T001200Z.pgm");
        assertThat(Files.readString(dir.resolve("scene-sat-1-20261201T001200Z.pgm"))).isEqualTo("P5 1 1 255 x");
    }

    @Test
    void replacesALeftoverTemporaryFileOfACrashedWrite() throws IOException {
        Files.writeString(tmp.resolve(".a.pgm.part"), "half of an old wri");

        assertThat(new DatasetWriter(tmp).write("a.pgm", new byte[] {1, 2, 3}, null)).isTrue();

        assertThat(names(tmp)).containsExactly("a.pgm");
        assertThat(Files.readAllBytes(tmp.resolve("a.pgm"))).containsExactly(1, 2, 3);
    }

    @Test
    void writingTheSameBytesAgainDoesNothing() throws IOException {
        DatasetWriter writer = new DatasetWriter(tmp);
        writer.write(frame("scene"));
        Path file = tmp.resolve(frame("scene").name());
        FileTime before = FileTime.from(Instant.parse("2020-01-01T00:00:00Z"));
        Files.setLastModifiedTime(file, before);

        assertThat(writer.write(frame("scene"))).isFalse();

        assertThat(Files.getLastModifiedTime(file)).isEqualTo(before);
        assertThat(names(tmp)).containsExactly(file.getFileName().toString());
    }

    @Test
    void neverOverwritesACaptureWithOtherBytes() throws IOException {
        DatasetWriter writer = new DatasetWriter(tmp);
        writer.write(frame("first"));

        assertThatThrownBy(() -> writer.write(frame("second")))
                .isInstanceOf(FileAlreadyExistsException.class)
                .hasMessageContaining("scene-sat-1-20261201T001200Z.pgm");

        assertThat(Files.readString(tmp.resolve(frame("first").name()))).isEqualTo("first");
        assertThat(names(tmp)).hasSize(1);
    }

    @Test
    void refusesANameThatIsADirectory() throws IOException {
        Files.createDirectory(tmp.resolve("d.pgm"));

        assertThatThrownBy(() -> new DatasetWriter(tmp).write("d.pgm", new byte[0], null))
                .isInstanceOf(FileAlreadyExistsException.class);
    }

    @Test
    void stampsTheFrameTimeWhenAsked() throws IOException {
        new DatasetWriter(tmp, true).write(frame("scene"));

        assertThat(Files.getLastModifiedTime(tmp.resolve(frame("scene").name())).toInstant()).isEqualTo(T);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a/b.pgm", "../b.pgm", ".hidden.pgm", ".", "..", " ", ""})
    void refusesNamesThatAreNotPlainVisibleFileNames(String name) {
        assertThatThrownBy(() -> new DatasetWriter(tmp).write(name, new byte[] {1}, null))
                .isInstanceOf(DeviceInputException.class)
                .hasMessageContaining("name")
                .hasMessageContaining("(value: " + name + ")");
        assertThat(tmp).isEmptyDirectory();
    }

    @Test
    void refusesANameTooLongForItsTemporaryName() {
        String name = "x".repeat(DatasetWriter.MAX_NAME_BYTES + 1);

        assertThatThrownBy(() -> new DatasetWriter(tmp).write(name, new byte[] {1}, null))
                .isInstanceOf(DeviceInputException.class)
                .hasMessageContaining("at most 249 bytes");
        DatasetWriter.checkName("x".repeat(DatasetWriter.MAX_NAME_BYTES));
    }
}
