package io.orchide.twin.scenario;

/**
 * What a satellite's payload computer offers to workloads (null fields take the node's own defaults), and the
 * storage its node may use under its data directory ({@code storageBytes}, {@link #DEFAULT_STORAGE} unless given).
 */
public record NodeSpec(Integer vcpus, Long memoryMiB, long storageBytes) {
    /** A payload computer's storage unless the scenario says otherwise: 1 GiB. */
    public static final long DEFAULT_STORAGE = 1L << 30;
    /** The smallest storage a scenario may give a node: room for its database, reserve and a few scenes. */
    public static final long MIN_STORAGE = 16L << 20;
    public static final NodeSpec DEFAULT = new NodeSpec(null, null, DEFAULT_STORAGE);
}
