package io.orchide.twin.scenario;

/** The faults a scenario can inject, by their wire names. */
public enum FaultKind {
    /** The payload computer loses power: its agent and every workload die at once, and it boots after {@code duration}. */
    REBOOT("reboot", Lasting.REQUIRED, false),
    /** The link fails for {@code duration}: contacts in that time carry nothing. */
    LINK_OUTAGE("linkOutage", Lasting.REQUIRED, false),
    /** The camera's next capture is corrupt (cut short): the step reading it fails. */
    CORRUPT_SCENE("corruptScene", Lasting.NEVER, false),
    /**
     * The node's storage is nearly full for {@code duration}: something outside the pipelines fills it to within
     * half of its reserve, so the node reclaims what it can and the camera's captures are refused until it clears.
     */
    DISK_FULL("diskFull", Lasting.REQUIRED, false),
    /**
     * A tenant's signed kernel has one byte flipped after it was signed, and an App naming the altered image is
     * applied to the satellite through ground with the tenant's token: the node, whose root is pinned, must refuse to
     * boot it and report the refusal to ground.
     */
    TAMPERED_IMAGE("tamperedImage", Lasting.NEVER, false),
    /**
     * One ground replica ({@code replica}, or the one serving {@code satellite} at that instant) is killed at once
     * ({@code kill -9}); it starts again after {@code duration} when one is given, else stays down. The nodes it
     * served fail over to the other replicas.
     */
    GROUND_REPLICA_CRASH("groundReplicaCrash", Lasting.OPTIONAL, true),
    /** Ground's PostgreSQL stops (fast shutdown: its sessions are cut) and starts again after {@code duration}. */
    DATABASE_RESTART("databaseRestart", Lasting.REQUIRED, true);

    /** Whether a fault of the kind takes a duration. */
    public enum Lasting { REQUIRED, OPTIONAL, NEVER }

    private final String wire;
    private final Lasting lasting;
    private final boolean ground;

    FaultKind(String wire, Lasting lasting, boolean ground) {
        this.wire = wire;
        this.lasting = lasting;
        this.ground = ground;
    }

    /** Whether the fault may have a duration. */
    public boolean lasts() {
        return lasting != Lasting.NEVER;
    }

    public Lasting lasting() {
        return lasting;
    }

    /** Whether the fault strikes ground rather than one satellite's payload computer or link. */
    public boolean onGround() {
        return ground;
    }

    @Override
    public String toString() {
        return wire;
    }
}
