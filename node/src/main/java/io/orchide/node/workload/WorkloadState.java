package io.orchide.node.workload;

/** What a workload is doing now, as shown by {@code get workloads}. */
public enum WorkloadState {
    PENDING("Pending"), STARTING("Starting"), RUNNING("Running"), STOPPING("Stopping"), STOPPED("Stopped"),
    SUCCEEDED("Succeeded"), FAILED("Failed"), BACK_OFF("BackOff"), CRASH_LOOP("CrashLoop");

    private final String wire;

    WorkloadState(String wire) { this.wire = wire; }

    public String wire() { return wire; }

    /** Whether the workload holds its share of the node's vCPUs and memory in this state. */
    public boolean holdsResources() {
        return this != STOPPED && this != SUCCEEDED && this != FAILED;
    }

    @Override public String toString() { return wire; }
}
