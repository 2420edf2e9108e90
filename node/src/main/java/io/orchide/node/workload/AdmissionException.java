package io.orchide.node.workload;

/**
 * A workload was refused because the node lacks the room for it, or (a {@link io.orchide.node.tenant.QuotaExceededException})
 * its tenant's on-board quota does; nothing was started or stored.
 */
public class AdmissionException extends Exception {
    private final Capacity needed;
    private final Capacity free;

    public AdmissionException(String workload, Capacity needed, Capacity free) {
        super("workload " + workload + " needs " + needed + " but the node has " + free + " free");
        this.needed = needed;
        this.free = free;
    }

    /** A refusal other than the node's capacity, said by {@code message}; {@link #needed} and {@link #free} are null. */
    protected AdmissionException(String message) {
        super(message);
        this.needed = null;
        this.free = null;
    }

    public Capacity needed() { return needed; }

    public Capacity free() { return free; }
}
