package io.orchide.node.workload;

/** A workload was refused because the node lacks the room for it; nothing was started or stored. */
public class AdmissionException extends Exception {
    private final Capacity needed;
    private final Capacity free;

    public AdmissionException(String workload, Capacity needed, Capacity free) {
        super("workload " + workload + " needs " + needed + " but the node has " + free + " free");
        this.needed = needed;
        this.free = free;
    }

    public Capacity needed() { return needed; }

    public Capacity free() { return free; }
}
