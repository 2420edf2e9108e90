package io.orchide.link.session;

/**
 * Spaces out a periodic task while the store is unavailable: each failure in a row doubles the ticks it skips, up to
 * {@code maxSkip}; a success resets it. Counted in ticks of the task's own schedule, so it needs no clock.
 */
final class Backoff {
    private final int maxSkip;
    private int failures, skip;

    Backoff(int maxSkip) {
        this.maxSkip = maxSkip;
    }

    /** Whether this tick is skipped. */
    synchronized boolean skip() {
        if (skip == 0) return false;
        skip--;
        return true;
    }

    synchronized void failed() {
        failures = Math.min(failures + 1, 30);
        skip = (int) Math.min(maxSkip, (1L << failures) - 1);
    }

    synchronized void succeeded() {
        failures = 0;
        skip = 0;
    }
}
