package io.orchide.runtime.supervise;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

class ShimBinaryTest {
    @TempDir
    Path tmp;

    @Test
    void installsOnceAndRepairsADifferentFile() throws Exception {
        Path bin = tmp.resolve("bin");
        Path shim = ShimBinary.install(bin);
        assertThat(shim).isEqualTo(bin.resolve("orchide-shim")).isExecutable();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(shim))).isEqualTo("rwxr-xr-x");
        Object inode = Files.readAttributes(shim, "unix:ino").get("ino");

        assertThat(ShimBinary.install(bin)).isEqualTo(shim);
        assertThat(Files.readAttributes(shim, "unix:ino").get("ino")).isEqualTo(inode); // untouched

        Files.writeString(shim, "stale");
        ShimBinary.install(bin);
        assertThat(Files.size(shim)).isGreaterThan(1000);
        try (var files = Files.list(bin)) {
            assertThat(files).containsExactly(shim); // no temp file left behind
        }
    }
}
