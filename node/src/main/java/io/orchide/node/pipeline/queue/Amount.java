package io.orchide.node.pipeline.queue;

import io.orchide.model.AcceleratorRequest;
import io.orchide.node.workload.Capacity;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * An amount of a node's resources as the run queue admits them: virtual CPUs, memory and accelerators counted per
 * class ({@code gpu}, {@code npu}, ...). A class absent from {@code accelerators} counts zero; the map never holds a
 * zero, so two equal amounts are equal records.
 */
public record Amount(int vcpus, long memoryMiB, Map<String, Integer> accelerators) {
    public static final Amount ZERO = new Amount(0, 0);

    public Amount {
        TreeMap<String, Integer> classes = new TreeMap<>();
        accelerators.forEach((cls, n) -> {
            if (n != 0) classes.put(cls, n);
        });
        accelerators = java.util.Collections.unmodifiableMap(classes);
    }

    /** Compute only, no accelerator. */
    public Amount(int vcpus, long memoryMiB) {
        this(vcpus, memoryMiB, Map.of());
    }

    /** The workload capacity with the node's accelerators per class beside it. */
    public static Amount of(Capacity c, Map<String, Integer> accelerators) {
        return new Amount(c.vcpus(), c.memoryMiB(), accelerators);
    }

    /** The accelerators {@code requests} ask for, per class. */
    public static Map<String, Integer> perClass(Collection<AcceleratorRequest> requests) {
        Map<String, Integer> out = new TreeMap<>();
        for (AcceleratorRequest r : requests) out.merge(r.deviceClass(), r.count(), Integer::sum);
        return out;
    }

    /** How many accelerators of {@code cls} this amount holds. */
    public int accelerators(String cls) {
        return accelerators.getOrDefault(cls, 0);
    }

    public boolean fits(Amount need) {
        if (need.vcpus > vcpus || need.memoryMiB > memoryMiB) return false;
        for (Map.Entry<String, Integer> e : need.accelerators.entrySet()) {
            if (e.getValue() > accelerators(e.getKey())) return false;
        }
        return true;
    }

    public Amount plus(Amount o) {
        return new Amount(vcpus + o.vcpus, memoryMiB + o.memoryMiB, combine(o, 1));
    }

    public Amount minus(Amount o) {
        return new Amount(vcpus - o.vcpus, memoryMiB - o.memoryMiB, combine(o, -1));
    }

    /** The larger of the two in each resource (what a run needs when its steps run one after another). */
    public Amount max(Amount o) {
        Map<String, Integer> classes = new TreeMap<>(accelerators);
        o.accelerators.forEach((cls, n) -> classes.merge(cls, n, Math::max));
        return new Amount(Math.max(vcpus, o.vcpus), Math.max(memoryMiB, o.memoryMiB), classes);
    }

    /** This amount {@code n} times (that many instances running at once). */
    public Amount times(int n) {
        Map<String, Integer> classes = new TreeMap<>();
        accelerators.forEach((cls, k) -> classes.put(cls, k * n));
        return new Amount(vcpus * n, memoryMiB * n, classes);
    }

    private Map<String, Integer> combine(Amount o, int sign) {
        Map<String, Integer> classes = new TreeMap<>(accelerators);
        o.accelerators.forEach((cls, n) -> classes.merge(cls, sign * n, Integer::sum));
        return classes;
    }

    boolean isNonNegative() {
        return vcpus >= 0 && memoryMiB >= 0 && accelerators.values().stream().allMatch(n -> n >= 0);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder().append(vcpus).append(" vCPU, ").append(memoryMiB).append(" MiB");
        accelerators.forEach((cls, n) -> s.append(", ").append(n).append(' ').append(cls));
        return s.toString();
    }
}
