package io.orchide.twin.run;

import java.nio.file.Path;

/**
 * Applies a manifest file to a satellite through ground, as {@code orchide apply -f FILE --satellite SAT} does
 * (images that are files here are pushed by content first); returns what ground said, one line per document.
 */
@FunctionalInterface
public interface ManifestApplier {
    String apply(String groundApi, Path file, String satellite);
}
