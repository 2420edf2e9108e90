package io.orchide.twin.run;

/**
 * What became of one captured scene: the run it triggered on board (null when none yet) and its state, how many
 * step attempts it took, the product it made (null for a dropped scene) and where that product is ({@code ground},
 * {@code board}, or {@code lost}). {@code interrupted} counts the step attempts cut short (a power loss), {@code
 * failedAttempts} those that failed (and were retried while the step's retries allowed).
 */
public record SceneOutcome(String satellite, String scene, String sceneSha256, String run, String state, int attempts,
                           int interrupted, int failedAttempts,
                           String product, String productSha256, String where, String message) {
    public static final String AT_GROUND = "ground";
    public static final String ON_BOARD = "board";
    public static final String LOST = "lost";

    /** The scene's run ended without success: failed, expired before it could finish, or cancelled. */
    public boolean unsettled() {
        return unsettled(state);
    }

    static boolean unsettled(String runState) {
        return "failed".equals(runState) || "expired".equals(runState) || "cancelled".equals(runState);
    }

    /** The scene went through the pipeline and was judged too cloudy: nothing to send. */
    public boolean dropped() {
        return "succeeded".equals(state) && product == null;
    }
}
