package io.orchide.twin.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * A product still on board, read from the node's outbox as the twin may (it simulates the hardware): a directory
 * output goes down as its only file, so that file is the product, named and hashed as ground will name and hash it.
 */
final class OnBoardProduct {
    private OnBoardProduct() {
    }

    static Path file(Path output) {
        if (!Files.isDirectory(output)) return output;
        try (Stream<Path> files = Files.list(output)) {
            List<Path> regular = files.filter(Files::isRegularFile).toList();
            return regular.size() == 1 ? regular.get(0) : output;
        } catch (IOException e) {
            return output;
        }
    }

    /** The file's SHA-256, or null when it is not a regular file that can be read. */
    static String sha256(Path file) {
        if (!Files.isRegularFile(file)) return null;
        try {
            return Digests.sha256(Files.readAllBytes(file));
        } catch (IOException e) {
            return null;
        }
    }
}
