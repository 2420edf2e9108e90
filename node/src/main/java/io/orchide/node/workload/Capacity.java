package io.orchide.node.workload;

/** An amount of the node's compute: virtual CPUs and memory. */
public record Capacity(int vcpus, long memoryMiB) {
    public Capacity minus(Capacity o) { return new Capacity(vcpus - o.vcpus, memoryMiB - o.memoryMiB); }

    public Capacity plus(Capacity o) { return new Capacity(vcpus + o.vcpus, memoryMiB + o.memoryMiB); }

    public boolean fits(Capacity need) { return need.vcpus <= vcpus && need.memoryMiB <= memoryMiB; }

    /** The host's processors and memory less a reserve for the agent and the host itself. */
    public static Capacity ofHost(long reserveMiB) {
        long totalMiB = 0;
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) totalMiB = Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            }
        } catch (java.io.IOException | NumberFormatException e) {
            totalMiB = Runtime.getRuntime().maxMemory() >> 20;
        }
        return new Capacity(Runtime.getRuntime().availableProcessors(), Math.max(0, totalMiB - reserveMiB));
    }

    @Override public String toString() { return vcpus + " vCPU, " + memoryMiB + " MiB"; }
}
