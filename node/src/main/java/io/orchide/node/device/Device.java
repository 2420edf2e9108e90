package io.orchide.node.device;

import io.orchide.model.Names;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One device of the node's inventory: its {@code name} (a DNS label, what grants name), its class, the device node or
 * interface it is reached through ({@code path}, null when it has none), the properties its integrator or operator
 * wants it to have ({@code desired}), where it came from, and for a camera whose frames another process writes as
 * files, the directory they appear in ({@code feed}, absolute; null otherwise).
 */
public record Device(String name, DeviceClass deviceClass, String path, Map<String, String> desired, Source source,
                     String feed) {
    /** Where the node learnt of a device. */
    public enum Source {
        /** The integrator's devices file. */
        DECLARED("declared"),
        /** The hardware (a device node, a sysfs class, {@code nvidia-smi}). */
        DISCOVERED("discovered");

        private final String wire;

        Source(String wire) {
            this.wire = wire;
        }

        @Override
        public String toString() {
            return wire;
        }
    }

    public Device {
        String problem = name == null ? "is missing" : Names.dnsLabelProblem(name);
        if (problem != null) throw new DeviceInputException("name", name, problem);
        Objects.requireNonNull(deviceClass, "deviceClass");
        Objects.requireNonNull(source, "source");
        desired = java.util.Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNullElse(desired, Map.of())));
        if (feed != null && deviceClass != DeviceClass.CAMERA) {
            throw new DeviceInputException("feed", feed, "is for cameras only (" + name + " is " + deviceClass + ")");
        }
    }

    /** A device without a frame feed. */
    public Device(String name, DeviceClass deviceClass, String path, Map<String, String> desired, Source source) {
        this(name, deviceClass, path, desired, source, null);
    }
}
