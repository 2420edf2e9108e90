package io.orchide.model;

/** CPU architecture of an image and of a node. */
public enum Arch {
    X86_64("x86_64"), AARCH64("aarch64");

    private final String wire;

    Arch(String wire) { this.wire = wire; }

    public String wire() { return wire; }

    public static Arch fromWire(String s) {
        for (Arch a : values()) if (a.wire.equals(s)) return a;
        throw new IllegalArgumentException(s);
    }

    /** The architecture of the machine this JVM runs on. */
    public static Arch host() {
        String a = System.getProperty("os.arch");
        return switch (a) {
            case "amd64", "x86_64" -> X86_64;
            case "aarch64", "arm64" -> AARCH64;
            default -> throw new IllegalStateException("unsupported host architecture " + a);
        };
    }

    @Override public String toString() { return wire; }
}
