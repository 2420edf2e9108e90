package io.orchide.node.accel;

import io.orchide.node.device.DeviceTwin;
import io.orchide.runtime.HostDevice;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One accelerator of the node, as a workload is handed it: its device name ({@code gpu-0}), class ({@code gpu},
 * {@code npu}, {@code fpga}), the device nodes a container or process gets (none for one reached otherwise, such as a
 * simulated one in the twin), the PCI address a virtual machine may get it through (null when none is known), its
 * CUDA index for an NVIDIA GPU (null otherwise) and what the hardware reports of it (model, memory, uuid).
 */
public record Accelerator(String name, String deviceClass, List<String> nodes, String pciAddress, String cudaIndex,
                          Map<String, String> facts) {
    /** The property, desired in the devices file or reported by the hardware, that holds a PCI address. */
    public static final String PCI_ADDRESS = "pciAddress";
    /** An NVIDIA GPU's device node; the driver's shared nodes beside it go with it. */
    private static final Pattern NVIDIA = Pattern.compile("(.*/)nvidia(\\d+)");
    private static final List<String> NVIDIA_SHARED = List.of("nvidiactl", "nvidia-uvm", "nvidia-uvm-tools");

    public Accelerator {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(deviceClass, "deviceClass");
        nodes = List.copyOf(nodes);
        facts = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(facts)); // sorted: the hello is stable
    }

    /** The accelerators among the twin's devices: those of an accelerator class that are not missing. */
    public static List<Accelerator> of(DeviceTwin twin) {
        List<Accelerator> out = new ArrayList<>();
        for (DeviceTwin.View v : twin.list()) {
            if (!v.device().deviceClass().accelerator() || DeviceTwin.MISSING.equals(v.state())) continue;
            out.add(of(v));
        }
        return out;
    }

    static Accelerator of(DeviceTwin.View v) {
        String path = v.device().path();
        List<String> nodes = new ArrayList<>();
        String cuda = v.reported().get("index");
        if (path != null && path.startsWith("/")) {
            nodes.add(path);
            Matcher m = NVIDIA.matcher(path);
            if (m.matches()) {
                cuda = m.group(2);
                for (String shared : NVIDIA_SHARED) {
                    Path p = Path.of(m.group(1), shared);
                    if (Files.exists(p)) nodes.add(p.toString());
                }
            }
        }
        if (!"gpu".equals(v.device().deviceClass().toString())) cuda = null;
        String pci = v.desired().getOrDefault(PCI_ADDRESS, v.reported().get(PCI_ADDRESS));
        Map<String, String> facts = new java.util.TreeMap<>();
        for (String k : List.of("model", "memory", "uuid")) {
            if (v.reported().containsKey(k)) facts.put(k, v.reported().get(k));
        }
        return new Accelerator(v.name(), v.device().deviceClass().toString(), nodes, pci, cuda, facts);
    }

    /** As the drivers take it. */
    public HostDevice hostDevice() {
        return new HostDevice(name, deviceClass, nodes, pciAddress);
    }
}
