package io.orchide.model;

/**
 * A file or directory a step writes at {@code path}, relative to its out directory in the run's workspace;
 * {@code product} (null: not one) marks it for downlink.
 */
public record StepOutput(String name, String path, Product product) {
}
