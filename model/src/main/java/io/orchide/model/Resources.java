package io.orchide.model;

import java.time.Duration;

/**
 * What a workload may use: virtual CPUs, memory and, when set, a wall-clock timeout after which it is stopped.
 * {@code timeout} is null for no limit.
 */
public record Resources(int vcpus, int memoryMiB, Duration timeout) {
    public static final Resources DEFAULT = new Resources(1, 64, null);
}
