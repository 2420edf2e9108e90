package io.orchide.node.pipeline.workspace;

import java.nio.file.Path;

/** Where a step's input that names a dataset ({@code datasets.<name>}) takes its files from. */
@FunctionalInterface
public interface DatasetSource {
    /** A node without datasets: every dataset input is unresolved. */
    DatasetSource NONE = (tenant, pipeline, dataset) -> {
        throw new IllegalArgumentException("this node keeps no datasets");
    };

    /**
     * The directory of dataset {@code dataset} on the node, which pipeline {@code pipeline} of {@code tenant} may read.
     *
     * @throws IllegalArgumentException saying why not (no such dataset, not readable by the pipeline)
     */
    Path directory(String tenant, String pipeline, String dataset);
}
