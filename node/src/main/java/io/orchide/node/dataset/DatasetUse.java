package io.orchide.node.dataset;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.stream.Stream;

/**
 * What a dataset holds: its files and their bytes. A dataset's files are the visible regular files directly in its
 * directory; hidden names (a write in progress, the declaration) are not its files and count for nothing.
 */
public record DatasetUse(int files, long bytes) {
    public static final DatasetUse NONE = new DatasetUse(0, 0);

    /** Measures {@code directory}; an absent directory holds nothing. */
    public static DatasetUse measure(Path directory) throws IOException {
        int files = 0;
        long bytes = 0;
        try (Stream<Path> list = Files.list(directory)) {
            for (Path p : (Iterable<Path>) list::iterator) {
                if (!isDatasetFile(p)) continue;
                BasicFileAttributes a;
                try {
                    a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                } catch (NoSuchFileException gone) {
                    continue;
                }
                if (!a.isRegularFile()) continue;
                files++;
                bytes += a.size();
            }
        } catch (NoSuchFileException e) {
            return NONE;
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return new DatasetUse(files, bytes);
    }

    /** Whether {@code p}'s name is one a dataset's file may have (visible); its type is checked by the caller. */
    public static boolean isDatasetFile(Path p) {
        return !p.getFileName().toString().startsWith(".");
    }
}
