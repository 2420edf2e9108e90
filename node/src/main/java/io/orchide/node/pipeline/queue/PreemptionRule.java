package io.orchide.node.pipeline.queue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Which running steps to stop for a critical run. Candidates are the preemptible steps of strictly lower priority,
 * least important first and, at equal priority, the most recently started first (the least work lost). They are
 * taken in that order until the critical run fits; then any taken step that is not needed after all is spared,
 * the most important first, so that no more is stopped than necessary.
 */
final class PreemptionRule {
    private static final Comparator<RunningStep> LEAST_IMPORTANT_FIRST = Comparator
            .comparingInt(RunningStep::priority)
            .thenComparing(RunningStep::startedAt, Comparator.nullsLast(Comparator.<Instant>reverseOrder()))
            .thenComparing(RunningStep::runId, Comparator.reverseOrder())
            .thenComparing(RunningStep::step);

    private PreemptionRule() {
    }

    static Optional<Preemption> choose(QueuedRun critical, int priority, List<RunningStep> running, Amount free) {
        Amount need = critical.need();
        if (free.fits(need)) return Optional.empty();
        List<RunningStep> candidates = running.stream()
                .filter(s -> s.preemptible() && s.priority() < priority)
                .sorted(LEAST_IMPORTANT_FIRST)
                .toList();
        Amount avail = free;
        List<RunningStep> chosen = new ArrayList<>();
        for (RunningStep s : candidates) {
            if (avail.fits(need)) break;
            chosen.add(s);
            avail = avail.plus(s.holds());
        }
        if (!avail.fits(need)) return Optional.empty();
        for (int i = chosen.size() - 1; i >= 0; i--) {
            Amount without = avail.minus(chosen.get(i).holds());
            if (without.fits(need)) {
                avail = without;
                chosen.remove(i);
            }
        }
        return Optional.of(new Preemption(critical, priority, chosen, avail));
    }
}
