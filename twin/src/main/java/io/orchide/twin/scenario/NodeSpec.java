package io.orchide.twin.scenario;

import java.util.List;
import java.util.Objects;

/**
 * What a satellite's payload computer offers to workloads (null fields take the node's own defaults), the storage its
 * node may use under its data directory ({@code storageBytes}, {@link #DEFAULT_STORAGE} unless given), and the
 * accelerators it simulates: devices of an accelerator class with no device node, which admission counts and
 * assigns as on board, and which workloads are told the names of.
 */
public record NodeSpec(Integer vcpus, Long memoryMiB, long storageBytes, List<Accelerator> accelerators) {
    /** A payload computer's storage unless the scenario says otherwise: 1 GiB. */
    public static final long DEFAULT_STORAGE = 1L << 30;
    /** The smallest storage a scenario may give a node: room for its database, reserve and a few scenes. */
    public static final long MIN_STORAGE = 16L << 20;
    public static final NodeSpec DEFAULT = new NodeSpec(null, null, DEFAULT_STORAGE);
    /** The classes a simulated accelerator may have. */
    public static final List<String> ACCELERATOR_CLASSES = List.of("gpu", "npu", "fpga");

    /** One simulated accelerator: its device name on the node and its class. */
    public record Accelerator(String name, String deviceClass) {
        public Accelerator {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(deviceClass, "deviceClass");
        }
    }

    public NodeSpec {
        accelerators = accelerators == null ? List.of() : List.copyOf(accelerators);
    }

    /** Without accelerators. */
    public NodeSpec(Integer vcpus, Long memoryMiB, long storageBytes) {
        this(vcpus, memoryMiB, storageBytes, List.of());
    }

    /** The integrator's devices file the node is started with, declaring the simulated accelerators. */
    public String devicesFile() {
        StringBuilder b = new StringBuilder("devices:\n");
        for (Accelerator a : accelerators) b.append("  - {name: ").append(a.name()).append(", class: ")
                .append(a.deviceClass()).append("}\n");
        return b.toString();
    }
}
