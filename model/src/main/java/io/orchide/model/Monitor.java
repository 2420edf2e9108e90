package io.orchide.model;

/** The program that hosts a workload: a virtual machine monitor, a container runtime or a sandbox. */
public enum Monitor {
    QEMU("qemu"), SOLO5_HVT("solo5-hvt"), SOLO5_SPT("solo5-spt"), FIRECRACKER("firecracker"),
    RUNC("runc"), CRUN("crun"), BWRAP("bwrap");

    private final String wire;

    Monitor(String wire) { this.wire = wire; }

    public String wire() { return wire; }

    public boolean isSolo5() { return this == SOLO5_HVT || this == SOLO5_SPT; }

    public boolean isOci() { return this == RUNC || this == CRUN; }

    public static Monitor fromWire(String s) {
        for (Monitor m : values()) if (m.wire.equals(s)) return m;
        throw new IllegalArgumentException(s);
    }

    @Override public String toString() { return wire; }
}
