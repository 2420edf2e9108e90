package io.orchide.model;

/** How an image is built, which decides its boot and exit conventions. */
public enum Family {
    UNIKRAFT("unikraft"), MIRAGE("mirage"), OSV("osv"), NANOS("nanos"), LINUX("linux"),
    /** A freestanding kernel the monitor boots directly: multiboot on x86_64, a bare ELF on aarch64 virt. */
    MULTIBOOT("multiboot"),
    CONTAINER("container"), PROCESS("process");

    private final String wire;

    Family(String wire) { this.wire = wire; }

    public String wire() { return wire; }

    public boolean isVirtualMachine() { return this != CONTAINER && this != PROCESS; }

    public static Family fromWire(String s) {
        for (Family f : values()) if (f.wire.equals(s)) return f;
        throw new IllegalArgumentException(s);
    }

    @Override public String toString() { return wire; }
}
