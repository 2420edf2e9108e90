package io.orchide.model;

import java.util.Objects;

/**
 * A model an App or a step's template uses ({@code spec.models}): the {@link Model} {@code name} of the node, the
 * accelerator class it runs it on ({@code accelerator}, {@link ModelSpec#CPU} unless given) and, for a process or a
 * container, the absolute {@code path} at which its file is mounted read-only in the workload.
 */
public record ModelUse(String name, String accelerator, String path) {
    /** Where a model's file appears in a workload when its use gives no path. */
    public static final String DEFAULT_DIR = "/run/orchide/models";

    public ModelUse {
        Objects.requireNonNull(name, "name");
        accelerator = accelerator == null ? ModelSpec.CPU : accelerator;
        path = path == null ? DEFAULT_DIR + "/" + name + ".onnx" : path;
    }
}
