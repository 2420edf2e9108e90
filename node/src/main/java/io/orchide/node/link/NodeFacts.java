package io.orchide.node.link;

import io.orchide.model.Arch;
import io.orchide.model.message.NodeHello;
import io.orchide.node.workload.Capacity;
import io.orchide.runtime.Probe;

import java.util.List;

/**
 * The node's hello to ground ({@link NodeHello}) from what it knows of itself: its name, architecture, the compute it
 * offers, the monitors whose probe passed here, and its version. Accelerators and devices are not reported yet.
 */
public final class NodeFacts {
    private NodeFacts() {
    }

    public static NodeHello hello(String node, Arch arch, Capacity capacity, List<Probe> probes, String version) {
        List<String> monitors = probes.stream().filter(Probe::available).map(Probe::name).distinct().sorted().toList();
        return new NodeHello(node, arch, capacity.vcpus(), capacity.memoryMiB(), monitors, "[]", "[]", version);
    }
}
