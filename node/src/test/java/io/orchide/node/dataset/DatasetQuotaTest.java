package io.orchide.node.dataset;

import io.orchide.node.device.DatasetWriter;
import io.orchide.node.layout.NodeLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static io.orchide.node.dataset.Datasets.dataset;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** A declared dataset's quota, kept by the writer that places captures into it, even in another process. */
class DatasetQuotaTest {
    @TempDir
    Path tmp;

    @Test
    void aCaptureOverTheBytesQuotaIsRefusedWithQuotaUseAndRequestAndNothingIsWritten() throws Exception {
        Path dir = NodeLayout.of(tmp).dataset("scenes");
        DatasetDeclaration.write(dir, dataset("scenes", "ocean-team", "quota: {bytes: 10}"));
        DatasetWriter writer = new DatasetWriter(dir);
        assertThat(writer.write("a.pgm", new byte[6], null)).isTrue();
        QuotaExceededException e = catchThrowableOfType(QuotaExceededException.class,
                () -> writer.write("b.pgm", new byte[5], null));
        assertThat(e.dataset()).isEqualTo("scenes");
        assertThat(e.what()).isEqualTo("bytes");
        assertThat(e.quota()).isEqualTo(10);
        assertThat(e.use()).isEqualTo(6);
        assertThat(e.request()).isEqualTo(5);
        assertThat(e.getMessage()).contains("quota 10", "use 6", "request 5");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("a.pgm", NodeLayout.DATASET_DECLARATION);
        }
        assertThat(writer.write("c.pgm", new byte[4], null)).isTrue(); // what still fits is taken
    }

    @Test
    void aCaptureOverTheFilesQuotaIsRefusedButTheSameCaptureAgainIsHarmless() throws Exception {
        Path dir = NodeLayout.of(tmp).dataset("scenes");
        DatasetDeclaration.write(dir, dataset("scenes", "ocean-team", "quota: {files: 1}"));
        DatasetWriter writer = new DatasetWriter(dir);
        writer.write("a.pgm", new byte[] {1}, null);
        assertThat(writer.write("a.pgm", new byte[] {1}, null)).isFalse();
        QuotaExceededException e = catchThrowableOfType(QuotaExceededException.class,
                () -> writer.write("b.pgm", new byte[] {2}, null));
        assertThat(e.what()).isEqualTo("files");
        assertThat(e.quota()).isEqualTo(1);
        assertThat(e.use()).isEqualTo(1);
        assertThat(e.request()).isEqualTo(1);
    }

    @Test
    void anUndeclaredDatasetHasNoQuota() throws Exception {
        DatasetWriter writer = new DatasetWriter(NodeLayout.of(tmp).dataset("camera"));
        for (int i = 0; i < 5; i++) assertThat(writer.write(i + ".pgm", new byte[1000], null)).isTrue();
        assertThat(DatasetUse.measure(NodeLayout.of(tmp).dataset("camera"))).isEqualTo(new DatasetUse(5, 5000));
    }
}
