package io.orchide.runtime.qemu;

import io.orchide.runtime.HostDevice;
import io.orchide.runtime.LaunchException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Hands host PCI devices to a qemu guest through VFIO ({@code -device vfio-pci,host=ADDR}), only where the host
 * allows it: the device has a PCI address, is bound to the {@code vfio-pci} driver ({@code
 * /sys/bus/pci/devices/ADDR/driver}) and its IOMMU group's node {@code /dev/vfio/GROUP} exists. Otherwise the launch
 * is refused naming the accelerator and what is missing: a guest never runs without the device it asked for. A
 * {@linkplain HostDevice#logical() logical} device has nothing to pass.
 */
public final class Vfio {
    public static final String DRIVER = "vfio-pci";

    private final Path sys;
    private final Path dev;

    /** Under {@code sys} (normally /sys) and {@code dev} (/dev), which tests replace with a fake tree. */
    public Vfio(Path sys, Path dev) {
        this.sys = sys;
        this.dev = dev;
    }

    public static Vfio host() {
        return new Vfio(Path.of("/sys"), Path.of("/dev"));
    }

    /** qemu's arguments that pass {@code devices} through; throws for the first that cannot be. */
    public List<String> arguments(List<HostDevice> devices) throws LaunchException {
        List<String> out = new ArrayList<>();
        for (HostDevice d : devices) {
            if (!d.logical()) out.addAll(List.of("-device", DRIVER + ",host=" + check(d)));
        }
        return out;
    }

    private String check(HostDevice d) throws LaunchException {
        String field = "spec.resources.accelerators";
        String addr = d.pciAddress();
        if (addr == null || addr.isBlank()) {
            throw new LaunchException(field, d.name(), "a virtual machine is given an accelerator only through VFIO,"
                    + " and " + d.name() + " (" + d.deviceClass() + ") has no PCI address (pciAddress in the devices file)");
        }
        if (!addr.matches("[0-9a-fA-F]{4}:[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\\.[0-7]")) {
            throw new LaunchException(field, d.name(), "its PCI address " + addr + " is not of the form 0000:01:00.0");
        }
        Path pci = sys.resolve("bus/pci/devices").resolve(addr);
        if (!Files.isDirectory(pci)) {
            throw new LaunchException(field, d.name(), "PCI device " + addr + " is not on this host");
        }
        String driver = linkName(pci.resolve("driver"));
        if (!DRIVER.equals(driver)) {
            throw new LaunchException(field, d.name(), "PCI device " + addr + " is bound to "
                    + (driver == null ? "no driver" : driver) + ", not " + DRIVER + ": this host does not allow VFIO for it");
        }
        String group = linkName(pci.resolve("iommu_group"));
        if (group == null || !Files.exists(dev.resolve("vfio").resolve(group))) {
            throw new LaunchException(field, d.name(), "PCI device " + addr + " has no VFIO group node"
                    + (group == null ? " (no IOMMU group)" : " (" + dev.resolve("vfio").resolve(group) + ")"));
        }
        return addr;
    }

    /** The last element of the target of the link at {@code p}; null when it is no link. */
    private static String linkName(Path p) {
        try {
            return Files.isSymbolicLink(p) ? Files.readSymbolicLink(p).getFileName().toString() : null;
        } catch (IOException e) {
            return null;
        }
    }
}
