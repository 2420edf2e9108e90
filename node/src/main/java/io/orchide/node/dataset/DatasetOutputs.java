package io.orchide.node.dataset;

import io.orchide.model.Dataset;
import io.orchide.model.DatasetSpec;
import io.orchide.model.FieldError;
import io.orchide.node.device.DatasetWriter;
import io.orchide.node.device.DeviceInputException;
import io.orchide.node.layout.NodeLayout;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes the outputs of a pipeline step into the datasets its manifest names. The dataset must be declared on the
 * node and writable by the pipeline (checked again here: its declaration may have changed since the pipeline was
 * applied), and the files must fit its quota all together, or nothing is written. Each file goes to a hidden
 * temporary name in the dataset's directory, is fsync'd, renamed into place and the directory fsync'd: a reader (or a
 * data trigger) never sees a part, and a crash leaves the whole file or none. The names belong to the step instance
 * that writes them (they carry the run's name), so a retry of that instance replaces what an earlier try left.
 */
public final class DatasetOutputs {
    private final NodeLayout layout;
    private final DatasetRegistry registry;

    public DatasetOutputs(NodeLayout layout, DatasetRegistry registry) {
        this.layout = layout;
        this.registry = registry;
    }

    /**
     * The directory of dataset {@code name}, for a step input of pipeline {@code pipeline} of {@code tenant}: a declared
     * dataset the pipeline may read by its access, or an undeclared one on disk (the operator's, readable by all).
     *
     * @throws IllegalArgumentException saying why not
     */
    public Path readableDirectory(String tenant, String pipeline, String name) {
        Optional<Dataset> d = registry.get(name);
        Path dir = layout.dataset(name);
        if (d.isPresent()) {
            if (!d.get().readableBy(tenant, io.orchide.model.DatasetSpec.Principals.PIPELINE, pipeline)) {
                throw new IllegalArgumentException("dataset " + name + " is not one that pipeline " + pipeline
                        + " of tenant " + tenant + " may read");
            }
            return dir;
        }
        if (!Files.isDirectory(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalArgumentException("no dataset " + name + " on this node");
        }
        return dir;
    }

    /** One file to write: output {@code output}'s file {@code source} into {@code dataset} as {@code name}. */
    public record Placement(String output, String dataset, String name, Path source) {
    }

    /** A file written: where, how long and its sha256 (hex). */
    public record Placed(String output, String dataset, String name, long bytes, String sha256) {
    }

    /**
     * Writes {@code files} for pipeline {@code pipeline} of {@code tenant}.
     *
     * @throws DatasetRefusedException when a dataset is not declared or not writable by the pipeline, or a name is
     *                                 not a dataset file's name (nothing written)
     * @throws QuotaExceededException  when a dataset would go over its quota (nothing written)
     * @throws IOException             when a file cannot be read or written
     */
    public List<Placed> write(String tenant, String pipeline, List<Placement> files)
            throws DatasetRefusedException, IOException {
        Map<String, List<Placement>> byDataset = new LinkedHashMap<>();
        List<FieldError> refused = new ArrayList<>();
        for (Placement p : files) {
            byDataset.computeIfAbsent(p.dataset(), d -> new ArrayList<>()).add(p);
            try {
                DatasetWriter.checkName(p.name());
            } catch (DeviceInputException e) {
                refused.add(new FieldError("outputs." + p.output(), p.name(), "cannot be a file of dataset "
                        + p.dataset() + ": " + e.getMessage()));
            }
        }
        for (Map.Entry<String, List<Placement>> e : byDataset.entrySet()) {
            String output = e.getValue().get(0).output();
            Optional<Dataset> d = registry.get(e.getKey());
            if (d.isEmpty()) {
                refused.add(new FieldError("outputs." + output + ".dataset", e.getKey(),
                        "is not a dataset declared on this node (a pipeline writes only into declared datasets)"));
            } else if (!d.get().writableBy(tenant, DatasetSpec.Principals.PIPELINE, pipeline)) {
                refused.add(new FieldError("outputs." + output + ".dataset", e.getKey(),
                        "is not a dataset that pipeline " + pipeline + " of tenant " + tenant + " may write"));
            }
        }
        if (!refused.isEmpty()) {
            throw new DatasetRefusedException(refused.get(0).toString(), refused);
        }
        for (Map.Entry<String, List<Placement>> e : byDataset.entrySet()) checkQuota(e.getKey(), e.getValue());
        List<Placed> placed = new ArrayList<>();
        for (Map.Entry<String, List<Placement>> e : byDataset.entrySet()) {
            Path dir = layout.dataset(e.getKey());
            Files.createDirectories(dir);
            for (Placement p : e.getValue()) placed.add(place(dir, p));
            syncDirectory(dir);
        }
        return placed;
    }

    private void checkQuota(String dataset, List<Placement> files) throws IOException {
        Path dir = layout.dataset(dataset);
        int newFiles = 0;
        long newBytes = 0;
        for (Placement p : files) {
            newBytes += Files.size(p.source());
            Path target = dir.resolve(p.name());
            if (Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) newBytes -= Files.size(target);
            else newFiles++;
        }
        DatasetQuota.check(dataset, registry.get(dataset).orElseThrow().spec().quota(), DatasetUse.measure(dir),
                newFiles, newBytes);
    }

    private static Placed place(Path dir, Placement p) throws IOException {
        Path temp = dir.resolve(DatasetWriter.TEMP_PREFIX + p.name() + DatasetWriter.TEMP_SUFFIX);
        MessageDigest md = sha256();
        long bytes = 0;
        boolean moved = false;
        try {
            try (InputStream in = Files.newInputStream(p.source());
                 FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                         StandardOpenOption.TRUNCATE_EXISTING)) {
                byte[] buf = new byte[65536];
                for (int n; (n = in.read(buf)) > 0; ) {
                    md.update(buf, 0, n);
                    ByteBuffer b = ByteBuffer.wrap(buf, 0, n);
                    while (b.hasRemaining()) out.write(b);
                    bytes += n;
                }
                out.force(true);
            }
            Files.move(temp, dir.resolve(p.name()), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
            moved = true;
        } finally {
            if (!moved) Files.deleteIfExists(temp);
        }
        return new Placed(p.output(), p.dataset(), p.name(), bytes, HexFormat.of().formatHex(md.digest()));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}
