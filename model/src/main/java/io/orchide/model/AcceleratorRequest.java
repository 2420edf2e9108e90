package io.orchide.model;

import java.util.Objects;

/**
 * An App's or a step's claim on accelerators: {@code count} of the node's accelerators of {@code deviceClass}
 * ({@code gpu}, {@code npu}, {@code fpga}, or another class the node's devices file declares), held exclusively while
 * the workload runs.
 */
public record AcceleratorRequest(String deviceClass, int count) {
    public AcceleratorRequest {
        Objects.requireNonNull(deviceClass, "deviceClass");
        if (count < 1) throw new IllegalArgumentException("count " + count + " must be at least 1");
    }

    @Override
    public String toString() {
        return count + " " + deviceClass;
    }
}
