package io.orchide.node.attempt;

/**
 * Where one attempt is. The last six are ends: an attempt reaches exactly one of them, once.
 */
public enum AttemptState {
    /** Its run directory is being prepared; nothing runs. */
    PREPARING,
    /** Its monitor is being started under the shim. */
    STARTING,
    RUNNING,
    /** Asked to end (by its owner or its timeout): graceful stop, then kill after the grace period. */
    STOPPING,
    /** The monitor ended on its own; the end says whether it succeeded. */
    EXITED,
    /** Ended because it ran past its timeout. */
    TIMED_OUT,
    /** Ended because its owner stopped it (a user's stop, a restart, a cancelled or preempted run). */
    STOPPED,
    /** Its monitor never ran. */
    LAUNCH_FAILED,
    /** Its monitor never ran, and another attempt would fail the same way (an input that does not exist). */
    REFUSED,
    /** Its monitor was gone, with no exit recorded, when the agent restarted; not a failure of the guest. */
    INTERRUPTED;

    public boolean ended() {
        return ordinal() >= EXITED.ordinal();
    }
}
