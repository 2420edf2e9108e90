package io.orchide.model;

/**
 * A file or directory a step writes at {@code path}, relative to its out directory in the run's workspace;
 * {@code product} (null: not one) marks it for downlink; {@code dataset} (null: none) names a dataset on the node its
 * file (or the files directly inside its directory) are written into when the step succeeds.
 */
public record StepOutput(String name, String path, Product product, String dataset) {
    /** An output written into no dataset. */
    public StepOutput(String name, String path, Product product) {
        this(name, path, product, null);
    }
}
