package io.orchide.node.workload;

/** Why the agent is ending a workload's attempt, which decides what happens once its monitor has exited. */
enum Ending {
    /** The attempt ends on its own (or by its timeout): the restart policy decides. */
    NONE,
    /** The operator stopped it (stop or delete): it stays stopped. */
    STOP,
    /** The operator restarted it: start the next attempt at once, counted as a restart. */
    RESTART,
    /** Its spec changed: start the new generation at once. */
    RECONFIGURE
}
