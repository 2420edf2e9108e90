package io.orchide.node.workload;

/** Why the agent is ending a run, which decides what happens once the monitor has exited. */
enum Ending {
    /** The workload ended on its own. */
    NONE,
    /** The operator stopped it (stop or delete): it stays stopped. */
    STOP,
    /** The operator restarted it, or its spec changed: start a new run at once. */
    RESTART,
    /** It ran past resources.timeout: a failure, then the restart policy decides. */
    TIMEOUT
}
