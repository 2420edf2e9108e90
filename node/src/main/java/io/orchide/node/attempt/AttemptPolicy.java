package io.orchide.node.attempt;

/**
 * What follows an attempt's end, decided without side effects: an App's restart policy (backoff, crash loop), a
 * step's retries. The engine runs attempts; a policy says whether there is another and when.
 *
 * @param <D> the decision, in the owner's terms
 */
@FunctionalInterface
public interface AttemptPolicy<D> {
    D after(AttemptEnd end, History history);

    /**
     * What came before this end.
     *
     * @param failures       failed attempts before this one in the series (a step's attempts, an App's
     *                       consecutive restarts since its last success, start or reconfigure)
     * @param recentFailures failed attempts inside the crash-loop window, this one included
     */
    record History(int failures, int recentFailures) {
    }
}
