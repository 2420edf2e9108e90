package io.orchide.node.pipeline.run;

import java.util.Arrays;

/** Where a pipeline run is: waiting in the queue, running its steps, or ended (the last four). */
public enum RunState {
    QUEUED("queued"), RUNNING("running"), SUCCEEDED("succeeded"), FAILED("failed"), CANCELLED("cancelled"),
    EXPIRED("expired");

    private final String wire;

    RunState(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public boolean ended() {
        return this != QUEUED && this != RUNNING;
    }

    /** @throws IllegalArgumentException naming the value and the valid ones */
    public static RunState fromWire(String s) {
        for (RunState r : values()) if (r.wire.equals(s)) return r;
        throw new IllegalArgumentException("unknown run state '" + s + "', expected one of "
                + Arrays.stream(values()).map(RunState::wire).toList());
    }

    @Override
    public String toString() {
        return wire;
    }
}
