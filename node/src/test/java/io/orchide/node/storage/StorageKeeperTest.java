package io.orchide.node.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class StorageKeeperTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path data;

    /** Deletes the files of a directory, oldest name first, until enough is freed. */
    static final class OldFiles implements Reclaimer {
        final Path dir;

        OldFiles(Path dir) {
            this.dir = dir;
        }

        @Override
        public String what() {
            return "old files";
        }

        @Override
        public Reclaimed reclaim(long bytes) {
            Reclaimed got = Reclaimed.NOTHING;
            try (Stream<Path> s = Files.list(dir)) {
                for (Path f : s.sorted().toList()) {
                    if (got.bytes() >= bytes) break;
                    long size = Files.size(f);
                    Files.delete(f);
                    got = got.plus(new Reclaimed(1, size));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return got;
        }
    }

    @Test
    void belowTheLowMarkItReclaimsOldestFirstUntilTheMarkIsMetAndSaysSo() throws Exception {
        Path old = Files.createDirectories(data.resolve("old"));
        for (int i = 0; i < 10; i++) Files.write(old.resolve("f" + i), new byte[50_000]);
        Files.write(data.resolve("keep"), new byte[300_000]);
        List<StorageKeeper.Change> told = new ArrayList<>();
        // limit 1,000,000: 800,000 used, 200,000 free, under the low mark of 300,000
        StorageKeeper k = new StorageKeeper(new Volume(data, new StorageBudget(1_000_000, 100_000, 300_000)),
                List.of(new OldFiles(old)), CLOCK, null, told::add);

        StorageKeeper.Status st = k.check();
        assertThat(st.level()).isEqualTo(StorageLevel.OK);
        assertThat(st.space().freeBytes()).isEqualTo(300_000);
        assertThat(st.reclaimedItems()).isEqualTo(2);
        assertThat(st.reclaimedBytes()).isEqualTo(100_000);
        try (Stream<Path> s = Files.list(old)) {
            assertThat(s.map(p -> p.getFileName().toString()).sorted()).doesNotContain("f0", "f1").contains("f2");
        }
        assertThat(told).singleElement().satisfies(c -> {
            assertThat(c.level()).isEqualTo(StorageLevel.OK);
            assertThat(c.note()).contains("reclaimed 2 old files (100000 bytes)");
        });
    }

    @Test
    void whenNothingCanBeSparedItStaysFullAndTellsOnceThenTellsWhenSpaceReturns() throws Exception {
        Path ballast = data.resolve("ballast");
        Files.write(ballast, new byte[950_000]);
        List<StorageKeeper.Change> told = new ArrayList<>();
        StorageKeeper k = new StorageKeeper(new Volume(data, StorageBudget.of(1_000_000, 100_000)), List.of(), CLOCK,
                null, told::add);

        assertThat(k.check().level()).isEqualTo(StorageLevel.FULL);
        assertThat(k.check().level()).isEqualTo(StorageLevel.FULL);
        assertThat(told).hasSize(1);
        Files.delete(ballast);
        StorageKeeper.Status st = k.check();
        assertThat(st.level()).isEqualTo(StorageLevel.OK);
        assertThat(told).hasSize(2);
        assertThat(told.get(1).note()).isEqualTo("was full");
        assertThat(st.changes()).hasSize(2);
    }
}
