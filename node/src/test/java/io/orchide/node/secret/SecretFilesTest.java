package io.orchide.node.secret;

import io.orchide.model.Mount;
import io.orchide.runtime.LaunchException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Secret files go on a tmpfs or nowhere, owner-only, and go away with their run. */
class SecretFilesTest {
    @TempDir
    Path disk;
    final Path shm = Path.of("/dev/shm", "orchide-secret-files-test-" + UUID.randomUUID());

    @AfterEach
    void clean() throws Exception {
        if (Files.exists(shm)) {
            try (var s = Files.walk(shm)) {
                for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    if (Files.isDirectory(p)) Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
                }
            }
            try (var s = Files.walk(shm)) {
                for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
            }
        }
    }

    @Test
    void filesAreWrittenOwnerOnlyOnATmpfsAndForgottenWithTheirRun() throws Exception {
        SecretFiles files = new SecretFiles(shm);
        Path run = disk.resolve("run-1");
        List<Mount> mounts = files.write(run, List.of(new SecretFiles.SecretDir("spec.secretMounts[0]", "/run/secrets/db",
                Map.of("password", "s3cret", "user", "ocean"))));

        assertThat(mounts).singleElement().satisfies(m -> assertThat(m.mountPath()).isEqualTo("/run/secrets/db"));
        Path host = Path.of(mounts.getFirst().path());
        assertThat(Files.getFileStore(host).type()).isEqualTo("tmpfs");
        assertThat(Files.readString(host.resolve("password"))).isEqualTo("s3cret");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(host.resolve("password")))).isEqualTo("r--------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(host))).isEqualTo("r-x------");
        assertThat(Files.exists(disk.resolve("run-1"))).isFalse(); // nothing of it under the run directory, on disk

        files.forget(run);
        assertThat(Files.exists(host)).isFalse();
        assertThat(shm).isEmptyDirectory();
    }

    @Test
    void aBaseOnADiskIsRefusedNamingItsFilesystemAndNothingIsWritten() {
        Path onDisk = disk.resolve("secrets");
        SecretFiles files = new SecretFiles(onDisk);
        assertThatThrownBy(() -> files.write(disk.resolve("run-1"), List.of(new SecretFiles.SecretDir("spec.secretMounts[0]",
                "/run/secrets/db", Map.of("password", "s3cret")))))
                .isInstanceOfSatisfying(LaunchException.class, e -> {
                    assertThat(e.field()).isEqualTo("spec.secretMounts[0]");
                    assertThat(e.getMessage()).contains("secret files go only on a tmpfs").contains(onDisk.toString());
                });
        assertThat(onDisk).isEmptyDirectory();
    }
}
