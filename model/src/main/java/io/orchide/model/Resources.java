package io.orchide.model;

import java.time.Duration;
import java.util.List;

/**
 * What a workload may use: virtual CPUs, memory, when set a wall-clock timeout after which it is stopped
 * ({@code timeout} is null for no limit), and the accelerators it holds exclusively while it runs (one request per
 * class at most).
 */
public record Resources(int vcpus, int memoryMiB, Duration timeout, List<AcceleratorRequest> accelerators) {
    public static final Resources DEFAULT = new Resources(1, 64, null);

    public Resources {
        accelerators = accelerators == null ? List.of() : List.copyOf(accelerators);
    }

    /** Without accelerators. */
    public Resources(int vcpus, int memoryMiB, Duration timeout) {
        this(vcpus, memoryMiB, timeout, List.of());
    }

    /** How many accelerators of every class together it holds. */
    public int acceleratorCount() {
        return accelerators.stream().mapToInt(AcceleratorRequest::count).sum();
    }
}
