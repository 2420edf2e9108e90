package io.orchide.node.workload;

/** What {@code apply} did with a manifest. */
public enum ApplyResult {
    CREATED("created"), CONFIGURED("configured"), UNCHANGED("unchanged");

    private final String wire;

    ApplyResult(String wire) { this.wire = wire; }

    public String wire() { return wire; }
}
