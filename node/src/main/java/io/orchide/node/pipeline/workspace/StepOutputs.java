package io.orchide.node.pipeline.workspace;

import io.orchide.model.Pipeline;
import io.orchide.model.Product;
import io.orchide.model.Step;
import io.orchide.model.StepOutput;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What a step (instance) left in its out directory once it ended: its declared outputs that are {@code present}
 * (name to path), those {@code missing}, the present ones marked as {@code products}, and the files of the present
 * ones that name a dataset ({@code datasetFiles}). A {@code path} ending in
 * {@code /} declares a directory, any other a regular file.
 */
public record StepOutputs(String step, Integer item, Map<String, Path> present, List<String> missing,
                          List<ProductFile> products, List<DatasetFile> datasetFiles) {
    public StepOutputs {
        present = Collections.unmodifiableMap(new LinkedHashMap<>(present));
        missing = List.copyOf(missing);
        products = List.copyOf(products);
        datasetFiles = List.copyOf(datasetFiles);
    }

    /**
     * A file of output {@code output} to be written into {@code dataset}: the output's file, or each regular file
     * directly inside the output's directory (sub-directories are not a dataset's files and stay in the workspace).
     */
    public record DatasetFile(String output, String dataset, Path path) {
    }

    /**
     * Checks the declared outputs of {@code stepName} ({@code item}: its forEach instance, null for none).
     *
     * @throws IllegalArgumentException when there is no such step
     */
    public static StepOutputs collect(Pipeline pipeline, String stepName, Integer item, RunWorkspace ws) {
        Step step = pipeline.step(stepName).orElseThrow(
                () -> new IllegalArgumentException("pipeline " + pipeline.name() + " has no step " + stepName));
        Path out = ws.outDir(stepName, item);
        Map<String, Path> present = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        List<ProductFile> products = new ArrayList<>();
        List<DatasetFile> datasetFiles = new ArrayList<>();
        for (StepOutput o : step.outputs()) {
            Path p = path(out, o);
            if (isDirectory(o) ? Files.isDirectory(p) : Files.isRegularFile(p)) {
                present.put(o.name(), p);
                if (o.product() != null) products.add(product(stepName, item, o, p));
                if (o.dataset() != null) datasetFiles.addAll(datasetFiles(o, p));
            } else {
                missing.add(o.name());
            }
        }
        return new StepOutputs(stepName, item, present, missing, products, datasetFiles);
    }

    private static List<DatasetFile> datasetFiles(StepOutput o, Path p) {
        if (!Files.isDirectory(p)) return List.of(new DatasetFile(o.name(), o.dataset(), p));
        try (Stream<Path> files = Files.list(p)) {
            return files.filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS))
                    .filter(f -> !f.getFileName().toString().startsWith("."))
                    .sorted().map(f -> new DatasetFile(o.name(), o.dataset(), f)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list output " + o.name() + " in " + p, e);
        }
    }

    /** Whether every declared output is there. */
    public boolean complete() {
        return missing.isEmpty();
    }

    /** Whether {@code output} declares a directory (its path ends in {@code /}). */
    public static boolean isDirectory(StepOutput output) {
        return output.path().endsWith("/");
    }

    /**
     * Where {@code output} lies under {@code outDir}.
     *
     * @throws IllegalArgumentException when its path is absolute or leaves the out directory
     */
    public static Path path(Path outDir, StepOutput output) {
        String rel = output.path();
        while (rel.endsWith("/")) rel = rel.substring(0, rel.length() - 1);
        Path base = outDir.normalize();
        Path p = base.resolve(rel).normalize();
        if (rel.isEmpty() || rel.startsWith("/") || !p.startsWith(base) || p.equals(base)) {
            throw new IllegalArgumentException("output " + output.name() + " path must stay inside the out "
                    + "directory: " + output.path());
        }
        return p;
    }

    private static ProductFile product(String step, Integer item, StepOutput o, Path p) {
        Product product = o.product();
        return new ProductFile(step, item, o.name(), p, product.priority(),
                product.retention() == null ? Product.DEFAULT_RETENTION : product.retention());
    }
}
