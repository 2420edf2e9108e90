package io.orchide.node.pipeline.queue;

import io.orchide.testkit.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PreemptionTest {
    static final java.util.Map<String, Integer> GPU = java.util.Map.of("gpu", 1);
    static final Instant T0 = RunQueueTest.T0;
    final RunQueue q = new RunQueue(new MutableClock(T0), RunQueueConfig.DEFAULTS);
    final QueuedRun critical = RunQueueTest.run(100, 95, null, T0, new Amount(4, 4096, GPU));

    static RunningStep step(long run, int priority, boolean preemptible, int vcpus, int accel, int startedSec) {
        return new RunningStep(run, "s" + run, "p" + run, priority, preemptible,
                new Amount(vcpus, 1024, accel == 0 ? java.util.Map.of() : java.util.Map.of("gpu", accel)), T0.plusSeconds(startedSec));
    }

    @Test
    void picksTheLeastImportantPreemptibleSteps() {
        List<RunningStep> running = List.of(
                step(1, 90, true, 2, 1, 0),     // important: spared while less important ones suffice
                step(2, 10, true, 2, 0, 0),
                step(3, 10, true, 2, 0, 50),    // same priority, started later: stopped first
                step(4, 5, false, 4, 1, 0),     // least important but not preemptible
                step(5, 30, true, 1, 1, 0),
                step(6, 95, true, 4, 1, 0));    // as important as the critical run: never
        Preemption p = q.preemptionFor(critical, running, new Amount(0, 8192)).orElseThrow();
        assertThat(p.victims()).extracting(RunningStep::runId).containsExactly(3L, 2L, 5L);
        assertThat(p.freeAfter()).isEqualTo(new Amount(5, 8192 + 3 * 1024, GPU));
        assertThat(p.criticalPriority()).isEqualTo(95);
    }

    @Test
    void sparesStepsThatTurnOutNotToBeNeeded() {
        List<RunningStep> running = List.of(step(1, 10, true, 1, 0, 0), step(2, 20, true, 4, 1, 0));
        Preemption p = q.preemptionFor(critical, running, new Amount(0, 8192)).orElseThrow();
        assertThat(p.victims()).extracting(RunningStep::runId).containsExactly(2L);
    }

    @Test
    void noneWhenItCannotFitEvenThenOrFitsAlready() {
        List<RunningStep> running = List.of(step(1, 10, true, 2, 0, 0), step(2, 99, true, 4, 1, 0),
                step(3, 0, false, 4, 1, 0));
        assertThat(q.preemptionFor(critical, running, new Amount(1, 8192))).isEmpty();
        assertThat(q.preemptionFor(critical, running, new Amount(4, 8192, GPU))).isEmpty();
    }
}
