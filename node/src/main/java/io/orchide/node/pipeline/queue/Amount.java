package io.orchide.node.pipeline.queue;

import io.orchide.node.workload.Capacity;

/** An amount of a node's resources as the run queue admits them: virtual CPUs, memory and accelerators. */
public record Amount(int vcpus, long memoryMiB, int accelerators) {
    public static final Amount ZERO = new Amount(0, 0, 0);

    /** The workload capacity with a count of accelerators beside it. */
    public static Amount of(Capacity c, int accelerators) {
        return new Amount(c.vcpus(), c.memoryMiB(), accelerators);
    }

    public boolean fits(Amount need) {
        return need.vcpus <= vcpus && need.memoryMiB <= memoryMiB && need.accelerators <= accelerators;
    }

    public Amount plus(Amount o) {
        return new Amount(vcpus + o.vcpus, memoryMiB + o.memoryMiB, accelerators + o.accelerators);
    }

    public Amount minus(Amount o) {
        return new Amount(vcpus - o.vcpus, memoryMiB - o.memoryMiB, accelerators - o.accelerators);
    }

    boolean isNonNegative() {
        return vcpus >= 0 && memoryMiB >= 0 && accelerators >= 0;
    }

    @Override
    public String toString() {
        return vcpus + " vCPU, " + memoryMiB + " MiB, " + accelerators + " accel";
    }
}
