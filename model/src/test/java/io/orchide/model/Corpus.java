package io.orchide.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The manifests under src/test/resources/manifests. */
final class Corpus {
    private Corpus() {
    }

    static Stream<Path> files(String folder) {
        try {
            Path dir = Path.of(Corpus.class.getResource("/manifests/" + folder).toURI());
            try (Stream<Path> s = Files.list(dir)) {
                List<Path> files = s.filter(Files::isRegularFile).sorted().toList();
                return files.stream();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
