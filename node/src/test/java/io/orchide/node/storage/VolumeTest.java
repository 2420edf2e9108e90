package io.orchide.node.storage;

import io.orchide.model.FieldValueException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VolumeTest {
    @TempDir
    Path data;

    @Test
    void underALimitTheUsedSpaceIsTheFilesOfTheDataDirectoryEachCountedOnce() throws Exception {
        Files.createDirectories(data.resolve("datasets/camera"));
        Files.write(data.resolve("datasets/camera/a.pgm"), new byte[10_000]);
        Files.createDirectories(data.resolve("pipelines/workspaces/r-000001/trigger"));
        Files.createLink(data.resolve("pipelines/workspaces/r-000001/trigger/a.pgm"), data.resolve("datasets/camera/a.pgm"));
        Files.write(data.resolve("node.db"), new byte[2_000]);
        Volume v = new Volume(data, StorageBudget.of(1_000_000, 100_000));

        Space s = v.measure();
        assertThat(s.capacityBytes()).isEqualTo(1_000_000);
        assertThat(s.usedBytes()).isEqualTo(12_000); // the staged link is the dataset's file
        assertThat(s.freeBytes()).isEqualTo(988_000);
        assertThat(Volume.freeableBytes(data.resolve("pipelines/workspaces/r-000001"))).isZero();
        assertThat(v.level()).isEqualTo(StorageLevel.OK);
    }

    @Test
    void aSparseFileCountsWholeSoThatATwinCanFillTheBudgetWithoutFillingTheDisk() throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(data.resolve("ballast").toFile(), "rw")) {
            f.setLength(950_000);
        }
        Volume v = new Volume(data, StorageBudget.of(1_000_000, 100_000));
        assertThat(v.measure().freeBytes()).isEqualTo(50_000);
        assertThat(v.level()).isEqualTo(StorageLevel.FULL);
    }

    @Test
    void aWriteThatWouldEatIntoTheReserveIsRefusedWithTheFigures() throws Exception {
        Files.write(data.resolve("x"), new byte[800_000]);
        Volume v = new Volume(data, StorageBudget.of(1_000_000, 100_000));
        v.ensureRoom("a.pgm", 100_000); // 200,000 free: leaves the reserve
        assertThatThrownBy(() -> v.ensureRoom("b.pgm", 100_001))
                .isInstanceOfSatisfying(StorageFullException.class, e -> {
                    assertThat(e.what()).isEqualTo("b.pgm");
                    assertThat(e.neededBytes()).isEqualTo(100_001);
                    assertThat(e.freeBytes()).isEqualTo(200_000);
                    assertThat(e.reserveBytes()).isEqualTo(100_000);
                })
                .hasMessageContaining("b.pgm").hasMessageContaining("200000 bytes free");
    }

    @Test
    void withoutALimitTheFilesystemSaysWhatIsFree() throws Exception {
        Space s = new Volume(data, StorageBudget.WHOLE_DISK).measure();
        assertThat(s.capacityBytes()).isPositive();
        assertThat(s.freeBytes()).isCloseTo(Files.getFileStore(data).getUsableSpace(), org.assertj.core.data.Offset.offset(64L << 20));
    }

    @Test
    void theBudgetDefaultsItsReserveAndLowMarkAndRefusesOneThatLeavesNoRoom() {
        StorageBudget whole = StorageBudget.WHOLE_DISK;
        assertThat(whole.reserveBytes()).isEqualTo(StorageBudget.DEFAULT_RESERVE);
        assertThat(whole.lowBytes()).isEqualTo(2 * StorageBudget.DEFAULT_RESERVE);
        StorageBudget small = StorageBudget.of(100L << 20, 0);
        assertThat(small.reserveBytes()).isEqualTo(10L << 20);
        assertThat(small.lowBytes()).isEqualTo(20L << 20);
        assertThat(small.level(5L << 20)).isEqualTo(StorageLevel.FULL);
        assertThat(small.level(15L << 20)).isEqualTo(StorageLevel.LOW);
        assertThat(small.level(50L << 20)).isEqualTo(StorageLevel.OK);
        assertThatThrownBy(() -> StorageBudget.of(100, 200)).isInstanceOfSatisfying(FieldValueException.class,
                e -> assertThat(e.field()).isEqualTo("storageReserve"));
        assertThatThrownBy(() -> StorageBudget.of(-1, 0)).isInstanceOfSatisfying(FieldValueException.class,
                e -> assertThat(e.value()).isEqualTo("-1"));
    }
}
