package io.orchide.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
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

    /** The manifests of {@code folder} whose {@code kind:} line (YAML) or {@code "kind":} (JSON) names {@code kind}. */
    static Stream<Path> files(String folder, String kind) {
        Pattern p = Pattern.compile("(?m)^\\s*\"?kind\"?\\s*:\\s*\"?" + kind + "\"?\\s*,?\\s*$");
        return files(folder).filter(f -> p.matcher(read(f)).find());
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
