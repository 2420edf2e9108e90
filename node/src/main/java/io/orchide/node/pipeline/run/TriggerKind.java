package io.orchide.node.pipeline.run;

/** What started a run. */
public enum TriggerKind {
    ON_DATA("onData"), SCHEDULE("schedule"), EVENT("event"), MANUAL("manual");

    private final String wire;

    TriggerKind(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static TriggerKind fromWire(String s) {
        for (TriggerKind k : values()) if (k.wire.equals(s)) return k;
        throw new IllegalArgumentException("unknown trigger kind '" + s + "'");
    }
}
