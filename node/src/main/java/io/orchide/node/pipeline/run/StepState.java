package io.orchide.node.pipeline.run;

/**
 * Where a step, or one attempt of one of its instances, is. {@code INTERRUPTED} ends an attempt cut short by the
 * agent's death or a preemption: it is not a failure and does not count against the step's retries.
 */
public enum StepState {
    PENDING("pending"), RUNNING("running"), SUCCEEDED("succeeded"), FAILED("failed"), SKIPPED("skipped"),
    CANCELLED("cancelled"), INTERRUPTED("interrupted");

    private final String wire;

    StepState(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static StepState fromWire(String s) {
        for (StepState r : values()) if (r.wire.equals(s)) return r;
        throw new IllegalArgumentException("unknown step state '" + s + "'");
    }

    @Override
    public String toString() {
        return wire;
    }
}
