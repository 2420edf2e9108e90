package io.orchide.node.dataset;

import io.orchide.model.Dataset;
import io.orchide.node.layout.NodeLayout;
import io.orchide.node.storage.Reclaimer;
import io.orchide.testkit.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import static io.orchide.node.dataset.Datasets.dataset;
import static org.assertj.core.api.Assertions.assertThat;

class DatasetRetentionTest {
    static final Instant T0 = Instant.parse("2026-12-07T12:00:00Z");

    @TempDir
    Path tmp;

    @Test
    void filesOlderThanMaxAgeGoAndTheRestStay() throws Exception {
        NodeLayout layout = NodeLayout.of(tmp);
        MutableClock clock = new MutableClock(T0);
        Dataset d = dataset("scenes", "ocean-team", "retention: {maxAge: 1h}");
        file(layout, "scenes", "old.pgm", T0.minus(Duration.ofMinutes(61)), 7);
        file(layout, "scenes", "new.pgm", T0.minus(Duration.ofMinutes(59)), 5);
        Reclaimer.Reclaimed r = new DatasetRetention(() -> List.of(d), layout, clock).sweep();
        assertThat(r).isEqualTo(new Reclaimer.Reclaimed(1, 7));
        assertThat(names(layout, "scenes")).containsExactly("new.pgm");
        clock.advance(Duration.ofMinutes(2));
        new DatasetRetention(() -> List.of(d), layout, clock).sweep();
        assertThat(names(layout, "scenes")).isEmpty();
    }

    @Test
    void keepLastKeepsTheNewestFilesAndLeavesHiddenOnesAndUndeclaredDatasetsAlone() throws Exception {
        NodeLayout layout = NodeLayout.of(tmp);
        Dataset d = dataset("scenes", "ocean-team", "retention: {keepLast: 2}");
        for (int i = 0; i < 4; i++) file(layout, "scenes", i + ".pgm", T0.plusSeconds(i), 1);
        file(layout, "scenes", ".3.pgm.part", T0.minusSeconds(100), 1);
        for (int i = 0; i < 4; i++) file(layout, "camera", i + ".pgm", T0.minus(Duration.ofDays(300)), 1);
        new DatasetRetention(() -> List.of(d), layout, new MutableClock(T0)).sweep();
        assertThat(names(layout, "scenes")).containsExactlyInAnyOrder("2.pgm", "3.pgm", ".3.pgm.part");
        assertThat(names(layout, "camera")).hasSize(4);
    }

    private static void file(NodeLayout layout, String dataset, String name, Instant modified, int bytes)
            throws Exception {
        Path p = layout.dataset(dataset).resolve(name);
        Files.createDirectories(p.getParent());
        Files.write(p, new byte[bytes]);
        Files.setLastModifiedTime(p, FileTime.from(modified));
    }

    private static List<String> names(NodeLayout layout, String dataset) throws Exception {
        try (Stream<Path> s = Files.list(layout.dataset(dataset))) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }
}
