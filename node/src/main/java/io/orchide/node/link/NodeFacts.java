package io.orchide.node.link;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orchide.model.Arch;
import io.orchide.model.codec.Trees;
import io.orchide.runtime.Probe;
import io.orchide.node.workload.Capacity;

import java.util.List;

/**
 * What a node tells ground about itself when a contact opens (the link's hello): its name, architecture, the
 * compute it offers, the monitors that work here, accelerators and devices, and its version.
 */
public final class NodeFacts {
    private NodeFacts() {
    }

    public static String json(String node, Arch arch, Capacity capacity, List<Probe> probes, String version) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("node", node);
        o.put("arch", arch.wire());
        o.put("cores", capacity.vcpus());
        o.put("memoryMib", capacity.memoryMiB());
        ArrayNode monitors = o.putArray("monitors");
        probes.stream().filter(Probe::available).map(Probe::name).distinct().sorted().forEach(monitors::add);
        o.putArray("accelerators");
        o.putArray("devices");
        o.put("version", version);
        return Trees.toJson(o, false);
    }
}
