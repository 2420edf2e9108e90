package io.orchide.node.attempt;

/** What the owner of an attempt is told, on the owner's loop. */
public interface AttemptListener {
    /** The attempt is about to start its monitor (its directory is prepared); the place to record it. */
    default void starting(Attempt a) {
    }

    /** The monitor runs (started or re-adopted). */
    default void running(Attempt a, String why) {
    }

    /** The attempt ran past its timeout and is being stopped. */
    default void timedOut(Attempt a, String why) {
    }

    /** Something worth a line in the history: a grace period over, a stop that failed. */
    default void note(Attempt a, String message) {
    }

    /** The attempt ended; called once. */
    void ended(Attempt a, AttemptEnd end);
}
