package io.orchide.node.dataset;

import java.time.Instant;
import java.util.Map;

/**
 * Where a file a pipeline step wrote into a dataset came from, as a product's lineage says it: the run, the step and
 * its forEach instance ({@code item}, null for none), the output, the digest of the image the step ran and the inputs
 * it read (name to what was staged), with the file's size and sha256 when it was written. A file uplinked from ground
 * has no run: {@code uplinkedBy} names who put it (run, pipeline, step and output are empty).
 */
public record DatasetFileLineage(String dataset, String name, String tenant, String run, String pipeline,
                                 String step, Integer item, String output, long bytes, String sha256, String image,
                                 Map<String, String> inputs, Instant written, String uplinkedBy) {
    public DatasetFileLineage {
        inputs = Map.copyOf(inputs);
    }

    /** A file a pipeline's step wrote. */
    public DatasetFileLineage(String dataset, String name, String tenant, String run, String pipeline, String step,
                              Integer item, String output, long bytes, String sha256, String image,
                              Map<String, String> inputs, Instant written) {
        this(dataset, name, tenant, run, pipeline, step, item, output, bytes, sha256, image, inputs, written, null);
    }

    /** A file {@code by} uplinked from ground into {@code dataset} as {@code name} for {@code tenant}. */
    public static DatasetFileLineage uplinked(String dataset, String name, String tenant, String by, long bytes,
                                              String sha256, Instant written) {
        return new DatasetFileLineage(dataset, name, tenant, "", "", "", null, "", bytes, sha256, null, Map.of(),
                written, by);
    }

    /** Whether the file came up from ground rather than from a run. */
    public boolean isUplinked() {
        return uplinkedBy != null;
    }

    /** The same lineage for the file now at {@code dataset}/{@code name}. */
    public DatasetFileLineage at(String dataset, String name) {
        return new DatasetFileLineage(dataset, name, tenant, run, pipeline, step, item, output, bytes, sha256, image,
                inputs, written, uplinkedBy);
    }
}
