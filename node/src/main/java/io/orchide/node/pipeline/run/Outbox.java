package io.orchide.node.pipeline.run;

import io.orchide.model.message.ProductState;
import io.orchide.model.App;
import io.orchide.model.FieldError;
import io.orchide.model.Mount;
import io.orchide.node.dataset.DatasetFileLineage;
import io.orchide.node.dataset.DatasetOutputs;
import io.orchide.node.dataset.DatasetRefusedException;
import io.orchide.node.pipeline.workspace.FileStager;
import io.orchide.node.pipeline.workspace.ProductFile;
import io.orchide.node.pipeline.workspace.StepMounts;
import io.orchide.node.pipeline.workspace.StepOutputs;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The node's outbox of products waiting for downlink: each product is placed (hard link, else copy) under
 * {@code <dir>/<run>/<step>[.<item>]/<output>}, out of the run's workspace, and recorded with its lineage; and the
 * writer of outputs into the datasets they name, with the same lineage.
 */
public final class Outbox {
    private final Path dir;
    private final PipelineStore store;
    private final Clock clock;
    private final FileStager stager = new FileStager();
    private final Map<String, String> digests = new ConcurrentHashMap<>();
    private final DatasetOutputs datasets;

    public Outbox(Path dir, PipelineStore store, Clock clock) {
        this(dir, store, clock, null);
    }

    /** An outbox that also writes steps' outputs into the datasets they name, through {@code datasets}. */
    public Outbox(Path dir, PipelineStore store, Clock clock, DatasetOutputs datasets) {
        this.dir = dir;
        this.store = store;
        this.clock = clock;
        this.datasets = datasets;
    }

    /**
     * Writes the outputs of a step instance that succeeded into the datasets they name, and records each file's
     * lineage as a product's is recorded. A file is named after the run, the step and its instance
     * ({@code <run>.<step>[.<item>].<file>}), so that runs never take each other's names.
     *
     * @throws DatasetRefusedException when a dataset is not declared or not writable by the pipeline (nothing written)
     * @throws io.orchide.node.dataset.QuotaExceededException when a dataset would go over its quota (nothing written)
     */
    public List<DatasetOutputs.Placed> intoDatasets(PipelineRun run, String tenant, StepOutputs outs, App instance)
            throws DatasetRefusedException, IOException {
        if (outs.datasetFiles().isEmpty()) return List.of();
        if (datasets == null) {
            throw new DatasetRefusedException("this node keeps no datasets", List.of(new FieldError(
                    "outputs." + outs.datasetFiles().get(0).output() + ".dataset",
                    outs.datasetFiles().get(0).dataset(), "is not a dataset of this node")));
        }
        List<DatasetOutputs.Placement> files = outs.datasetFiles().stream()
                .map(f -> new DatasetOutputs.Placement(f.output(), f.dataset(),
                        datasetName(run, outs.step(), outs.item(), f.path()), f.path()))
                .toList();
        List<DatasetOutputs.Placed> placed = datasets.write(tenant, run.pipeline(), files);
        Map<String, String> inputs = inputs(instance);
        String image = digest(Path.of(instance.spec().image()));
        Instant now = clock.instant();
        for (DatasetOutputs.Placed p : placed) {
            store.putDatasetFile(new DatasetFileLineage(p.dataset(), p.name(), tenant, run.name(), run.pipeline(),
                    outs.step(), outs.item(), p.output(), p.bytes(), p.sha256(), image, inputs, now));
        }
        return placed;
    }

    /** The name a step instance's output file {@code file} takes in a dataset. */
    static String datasetName(PipelineRun run, String step, Integer item, Path file) {
        return run.name() + "." + step + (item == null ? "" : "." + item) + "." + file.getFileName();
    }

    /** Places and records the products of a step instance that succeeded; returns their records. */
    public List<ProductRecord> put(PipelineRun run, List<ProductFile> products, App instance) {
        if (products.isEmpty()) return List.of();
        Map<String, String> inputs = inputs(instance);
        String image = digest(Path.of(instance.spec().image()));
        Instant now = clock.instant();
        return products.stream().map(p -> {
            Path target = dir.resolve(run.name()).resolve(p.step() + (p.item() == null ? "" : "." + p.item()))
                    .resolve(p.output());
            long size;
            String sha = null;
            if (Files.isDirectory(p.path())) {
                stager.placeTree(p.path(), target);
                size = treeSize(target);
            } else {
                stager.place(p.path(), target.resolve(p.path().getFileName().toString()));
                target = target.resolve(p.path().getFileName().toString());
                size = sizeOf(target);
                sha = sha256(target);
            }
            ProductRecord r = new ProductRecord(0, run.id(), run.pipeline(), p.step(), p.item(), p.output(), target,
                    size, sha, p.priority(), p.retention(), now.plus(p.retention()), image, inputs, ProductState.OUTBOX.wire(), now);
            long id = store.putProduct(r);
            return new ProductRecord(id, r.runId(), r.pipeline(), r.step(), r.item(), r.output(), r.path(),
                    r.sizeBytes(), r.sha256(), r.priority(), r.retention(), r.expiresAt(), r.image(), r.inputs(),
                    r.state(), r.createdAt());
        }).toList();
    }

    /** The inputs of a step instance as lineage records them, by name. */
    private Map<String, String> inputs(App instance) {
        Map<String, String> inputs = new LinkedHashMap<>();
        for (Mount m : instance.spec().inputs()) {
            if (m.mountPath().startsWith(StepMounts.IN_MOUNT_PREFIX)) inputs.put(m.name(), describe(Path.of(m.path())));
        }
        return inputs;
    }

    /** An input as lineage records it: the files of the staged directory, by name, with their digests. */
    private String describe(Path staged) {
        if (!Files.isDirectory(staged)) return staged.toString();
        try (Stream<Path> s = Files.walk(staged)) {
            return String.join(", ", s.filter(Files::isRegularFile).sorted()
                    .map(f -> staged.relativize(f) + " sha256:" + sha256(f)).toList());
        } catch (IOException e) {
            return staged.toString();
        }
    }

    /** {@code sha256:<hex>} of an image file (cached by path, size and time); null for a directory image. */
    private String digest(Path image) {
        try {
            if (!Files.isRegularFile(image)) return null;
            BasicFileAttributes a = Files.readAttributes(image, BasicFileAttributes.class);
            String key = image + "|" + a.size() + "|" + a.lastModifiedTime().toMillis();
            return digests.computeIfAbsent(key, k -> "sha256:" + sha256(image));
        } catch (IOException e) {
            return null;
        }
    }

    static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[65536];
            for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long sizeOf(Path f) {
        try {
            return Files.size(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long treeSize(Path d) {
        try (Stream<Path> s = Files.walk(d)) {
            return s.filter(Files::isRegularFile).mapToLong(Outbox::sizeOf).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
