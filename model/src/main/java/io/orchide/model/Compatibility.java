package io.orchide.model;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/** Which runtime family each monitor can run, which architectures and accelerations it accepts. */
public final class Compatibility {
    private static final Map<Monitor, Set<Family>> FAMILIES = new EnumMap<>(Monitor.class);
    private static final Map<Monitor, Set<Accel>> ACCELS = new EnumMap<>(Monitor.class);

    static {
        FAMILIES.put(Monitor.QEMU, EnumSet.of(Family.UNIKRAFT, Family.MIRAGE, Family.OSV, Family.NANOS,
                Family.LINUX, Family.MULTIBOOT));
        FAMILIES.put(Monitor.SOLO5_HVT, EnumSet.of(Family.MIRAGE));
        FAMILIES.put(Monitor.SOLO5_SPT, EnumSet.of(Family.MIRAGE));
        FAMILIES.put(Monitor.FIRECRACKER, EnumSet.of(Family.UNIKRAFT, Family.OSV, Family.NANOS, Family.LINUX));
        FAMILIES.put(Monitor.RUNC, EnumSet.of(Family.CONTAINER));
        FAMILIES.put(Monitor.CRUN, EnumSet.of(Family.CONTAINER));
        FAMILIES.put(Monitor.BWRAP, EnumSet.of(Family.PROCESS));
        ACCELS.put(Monitor.QEMU, EnumSet.allOf(Accel.class));
        ACCELS.put(Monitor.SOLO5_HVT, EnumSet.of(Accel.AUTO, Accel.KVM));
        ACCELS.put(Monitor.FIRECRACKER, EnumSet.of(Accel.AUTO, Accel.KVM));
        for (Monitor m : new Monitor[] {Monitor.SOLO5_SPT, Monitor.RUNC, Monitor.CRUN, Monitor.BWRAP}) {
            ACCELS.put(m, EnumSet.of(Accel.AUTO));
        }
    }

    private Compatibility() {
    }

    /** The families {@code monitor} can run. */
    public static Set<Family> families(Monitor monitor) {
        return Collections.unmodifiableSet(EnumSet.copyOf(FAMILIES.get(monitor)));
    }

    /** The monitors that can run {@code family}. */
    public static Set<Monitor> monitors(Family family) {
        Set<Monitor> result = EnumSet.noneOf(Monitor.class);
        FAMILIES.forEach((m, fs) -> {
            if (fs.contains(family)) result.add(m);
        });
        return Collections.unmodifiableSet(result);
    }

    public static boolean runs(Monitor monitor, Family family) {
        return FAMILIES.get(monitor).contains(family);
    }

    /**
     * Whether {@code monitor} runs only images of the node's own architecture, because it needs hardware
     * virtualisation (solo5-hvt, firecracker) or the host's system calls (solo5-spt, runc, crun, bwrap).
     * Only qemu can emulate another architecture.
     */
    public static boolean nodeArchOnly(Monitor monitor) {
        return monitor != Monitor.QEMU;
    }

    /** The accelerations {@code monitor} accepts: tcg only on qemu, kvm only on the monitors that use it. */
    public static Set<Accel> accels(Monitor monitor) {
        return Collections.unmodifiableSet(EnumSet.copyOf(ACCELS.get(monitor)));
    }

    /** Whether {@code monitor} can pass an initial ramdisk to the guest. */
    public static boolean takesInitrd(Monitor monitor) {
        return monitor == Monitor.QEMU || monitor == Monitor.FIRECRACKER;
    }

    /** Whether mounts on {@code monitor} are block devices named by the mount name, so need no mountPath. */
    public static boolean mountsAreBlockDevices(Monitor monitor) {
        return monitor.isSolo5();
    }
}
