package io.orchide.node.dataset;

import io.orchide.model.Dataset;
import io.orchide.model.ManifestException;
import io.orchide.model.Manifests;
import io.orchide.node.layout.NodeLayout;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The copy of a declared dataset's manifest inside its directory ({@link NodeLayout#DATASET_DECLARATION}). node.db is
 * the truth and has one writer, the agent; this copy lets a writer in another process (the twin's camera) keep the
 * dataset's quota without opening the database. Written whole (temporary file, fsync, rename), so that a reader
 * sees the old declaration or the new one, never a part.
 */
public final class DatasetDeclaration {
    private DatasetDeclaration() {
    }

    /** Writes {@code dataset}'s declaration into {@code directory}, creating the directory when missing. */
    public static void write(Path directory, Dataset dataset) throws IOException {
        Files.createDirectories(directory);
        Path target = directory.resolve(NodeLayout.DATASET_DECLARATION);
        Path temp = directory.resolve(NodeLayout.DATASET_DECLARATION + ".part");
        Files.writeString(temp, Manifests.toJson(dataset), StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Removes the declaration from {@code directory}: the dataset's files stay, with no quota. */
    public static void remove(Path directory) throws IOException {
        Files.deleteIfExists(directory.resolve(NodeLayout.DATASET_DECLARATION));
    }

    /**
     * The dataset declared in {@code directory}; empty when none is.
     *
     * @throws IOException when the declaration cannot be read or is not a valid Dataset (a writer refuses rather
     *                     than ignore a quota it cannot read)
     */
    public static Optional<Dataset> read(Path directory) throws IOException {
        Path file = directory.resolve(NodeLayout.DATASET_DECLARATION);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        try {
            return Optional.of(Manifests.parseDataset(text));
        } catch (ManifestException e) {
            throw new IOException("the dataset declaration " + file + " is not valid: " + e.getMessage(), e);
        }
    }

    /**
     * Refuses a new file of {@code bytes} bytes in {@code directory} when the dataset declared there has a quota it
     * would exceed; an undeclared directory has no quota.
     *
     * @throws QuotaExceededException naming the quota, the use and the request
     */
    public static void checkRoom(Path directory, long bytes) throws IOException {
        Optional<Dataset> d = read(directory);
        if (d.isEmpty() || !d.get().spec().quota().limited()) return;
        DatasetQuota.check(d.get().name(), d.get().spec().quota(), DatasetUse.measure(directory), 1, bytes);
    }
}
