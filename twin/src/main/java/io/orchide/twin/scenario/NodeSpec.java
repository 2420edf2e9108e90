package io.orchide.twin.scenario;

/** What a satellite's payload computer offers to workloads; null fields take the node's own defaults. */
public record NodeSpec(Integer vcpus, Long memoryMiB) {
    public static final NodeSpec DEFAULT = new NodeSpec(null, null);
}
