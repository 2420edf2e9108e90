package io.orchide.node.link;

import io.orchide.model.Arch;
import io.orchide.model.message.NodeHello;
import io.orchide.node.workload.Capacity;
import io.orchide.runtime.Probe;

import java.util.List;

/**
 * The node's hello to ground ({@link NodeHello}) from what it knows of itself: its name, architecture, the compute it
 * offers, the monitors whose probe passed here, its accelerators (a JSON list, {@code [{"name": "gpu-0", "class":
 * "gpu", "model": ...}]}) and its version. Its devices travel in its status reports instead.
 */
public final class NodeFacts {
    private NodeFacts() {
    }

    public static NodeHello hello(String node, Arch arch, Capacity capacity, List<Probe> probes, String version) {
        return hello(node, arch, capacity, probes, "[]", version);
    }

    public static NodeHello hello(String node, Arch arch, Capacity capacity, List<Probe> probes, String accelerators,
                                  String version) {
        List<String> monitors = probes.stream().filter(Probe::available).map(Probe::name).distinct().sorted().toList();
        return new NodeHello(node, arch, capacity.vcpus(), capacity.memoryMiB(), monitors, accelerators, "[]", version);
    }
}
