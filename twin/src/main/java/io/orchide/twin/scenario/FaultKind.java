package io.orchide.twin.scenario;

/** The faults a scenario can inject, by their wire names. */
public enum FaultKind {
    /** The payload computer loses power: its agent and every workload die at once, and it boots after {@code duration}. */
    REBOOT("reboot", true),
    /** The link fails for {@code duration}: contacts in that time carry nothing. */
    LINK_OUTAGE("linkOutage", true),
    /** The camera's next capture is corrupt (cut short): the step reading it fails. */
    CORRUPT_SCENE("corruptScene", false),
    /**
     * The node's storage is nearly full for {@code duration}: something outside the pipelines fills it to within
     * half of its reserve, so the node reclaims what it can and the camera's captures are refused until it clears.
     */
    DISK_FULL("diskFull", true);

    private final String wire;
    private final boolean lasts;

    FaultKind(String wire, boolean lasts) {
        this.wire = wire;
        this.lasts = lasts;
    }

    /** Whether the fault has a duration. */
    public boolean lasts() {
        return lasts;
    }

    @Override
    public String toString() {
        return wire;
    }
}
