package io.orchide.node.dataset;

import java.time.Instant;
import java.util.Map;

/**
 * Where a file a pipeline step wrote into a dataset came from, as a product's lineage says it: the run, the step and
 * its forEach instance ({@code item}, null for none), the output, the digest of the image the step ran and the inputs
 * it read (name to what was staged), with the file's size and sha256 when it was written.
 */
public record DatasetFileLineage(String dataset, String name, String tenant, String run, String pipeline,
                                 String step, Integer item, String output, long bytes, String sha256, String image,
                                 Map<String, String> inputs, Instant written) {
    public DatasetFileLineage {
        inputs = Map.copyOf(inputs);
    }

    /** The same lineage for the file now at {@code dataset}/{@code name}. */
    public DatasetFileLineage at(String dataset, String name) {
        return new DatasetFileLineage(dataset, name, tenant, run, pipeline, step, item, output, bytes, sha256, image,
                inputs, written);
    }
}
