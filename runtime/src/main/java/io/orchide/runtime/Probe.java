package io.orchide.runtime;

import java.util.Map;

/**
 * What {@code doctor} says of one driver (or one monitor/arch combination of it).
 *
 * @param name      e.g. "qemu x86_64", "runc", "solo5-hvt"
 * @param available whether workloads can be started with it here
 * @param reason    why not, or a short summary of what works ("KVM: no (emulation failure), using TCG")
 * @param details   version, binary path, acceleration, cgroup version, ...
 */
public record Probe(String name, boolean available, String reason, Map<String, String> details) {
    public Probe {
        details = details == null ? Map.of() : Map.copyOf(details);
    }
}
