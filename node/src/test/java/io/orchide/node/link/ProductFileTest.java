package io.orchide.node.link;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What goes down for a product: the file, a directory's only file, or a reproducible tar of the directory. */
class ProductFileTest {
    @TempDir
    Path tmp;

    @Test
    void aDirectoryWithOneFileGoesDownAsThatFile() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("scene"));
        Path gz = Files.write(dir.resolve("scene-0001.pgm.gz"), new byte[]{31, -117, 8, 0});
        ProductFile f = ProductFile.of(dir, null, 0);
        assertThat(f.path()).isEqualTo(gz);
        assertThat(f.size()).isEqualTo(4);
        assertThat(f.sha256()).isEqualTo(ProductFile.sha256(gz)).hasSize(64);
    }

    @Test
    void aDirectoryOfSeveralFilesGoesDownAsTheSameTarEachTime() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("tiles"));
        Files.writeString(dir.resolve("b.txt"), "bee");
        Files.createDirectories(dir.resolve("sub"));
        Files.writeString(dir.resolve("sub/a.txt"), "ay");
        ProductFile first = ProductFile.of(dir, null, 0);
        assertThat(first.path().getFileName().toString()).isEqualTo("tiles.tar");
        List<String> names = new ArrayList<>();
        try (InputStream in = Files.newInputStream(first.path()); TarArchiveInputStream t = new TarArchiveInputStream(in)) {
            for (TarArchiveEntry e; (e = t.getNextEntry()) != null; ) names.add(e.getName() + "=" + new String(t.readAllBytes()));
        }
        assertThat(names).containsExactly("b.txt=bee", "sub/a.txt=ay");
        Files.delete(first.path());
        assertThat(ProductFile.of(dir, null, 0).sha256()).isEqualTo(first.sha256()); // reproducible
    }
}
