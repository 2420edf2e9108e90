package io.orchide.runtime;

import java.util.List;
import java.util.Objects;

/**
 * A device of the host handed to one workload for its whole run (an accelerator assigned to it alone): its name on
 * the node ({@code gpu-0}), its class ({@code gpu}), the device nodes a container or process is given
 * ({@code /dev/nvidia0}; none for a device reached otherwise) and, where the integrator named one, the PCI address a
 * virtual machine is given it through with VFIO ({@code 0000:01:00.0}; null otherwise). A device with neither is
 * {@linkplain #logical() logical}: reached through the node (an FPGA the host programs, a simulated accelerator in
 * the twin), it is counted and named to the workload, and no driver has anything to pass.
 */
public record HostDevice(String name, String deviceClass, List<String> nodes, String pciAddress) {
    public HostDevice {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(deviceClass, "deviceClass");
        nodes = nodes == null ? List.of() : List.copyOf(nodes);
    }

    /** Whether nothing of it can be passed to a workload: no device node, no PCI address. */
    public boolean logical() {
        return nodes.isEmpty() && pciAddress == null;
    }

    /** Where a device node appears inside a container: its own path under /dev, any other path as /dev/NAME. */
    public static String guestPath(String hostNode) {
        if (hostNode.startsWith("/dev/")) return hostNode;
        return "/dev/" + java.nio.file.Path.of(hostNode).getFileName();
    }
}
