package io.orchide.model;

/** Hardware acceleration for a virtual machine monitor: probe (auto), insist on KVM, or emulate (TCG). */
public enum Accel {
    AUTO("auto"), KVM("kvm"), TCG("tcg");

    private final String wire;

    Accel(String wire) { this.wire = wire; }

    public String wire() { return wire; }

    public static Accel fromWire(String s) {
        for (Accel a : values()) if (a.wire.equals(s)) return a;
        throw new IllegalArgumentException(s);
    }

    @Override public String toString() { return wire; }
}
