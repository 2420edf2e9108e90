package io.orchide.node.pipeline.queue;

import io.orchide.testkit.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RunQueueTest {
    static final java.util.Map<String, Integer> GPU = java.util.Map.of("gpu", 1);
    static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
    static final Amount ONE_CPU = new Amount(1, 1024);

    static QueuedRun run(long id, int priority, Instant deadline, Instant at, Amount need) {
        return new QueuedRun(id, "p" + (id % 7), priority, deadline, at, id, need, true);
    }

    static List<QueuedRun> drain(RunQueue q, Amount free) {
        List<QueuedRun> out = new ArrayList<>();
        for (Optional<Dispatch> d = q.next(free); d.isPresent(); d = q.next(free)) out.add(d.get().run());
        return out;
    }

    @Test
    void dispatchesByPriorityThenDeadlineThenArrival() {
        MutableClock clock = new MutableClock(T0);
        RunQueue q = new RunQueue(clock, RunQueueConfig.DEFAULTS);
        Random rnd = new Random(42);
        List<QueuedRun> runs = new ArrayList<>();
        for (long id = 0; id < 50; id++) {
            int prio = new int[] {0, 10, 50, 50, 90, 100}[rnd.nextInt(6)];
            Instant deadline = rnd.nextInt(3) == 0 ? null : T0.plus(Duration.ofHours(1 + rnd.nextInt(4)));
            runs.add(run(id, prio, deadline, T0, new Amount(1, 64)));
        }
        runs.forEach(q::enqueue);
        List<QueuedRun> expected = runs.stream().sorted(Comparator.comparingInt(QueuedRun::priority).reversed()
                .thenComparing(QueuedRun::deadline, Comparator.nullsLast(Comparator.naturalOrder()))
                .thenComparingLong(QueuedRun::sequence)).toList();

        assertThat(q.snapshot()).containsExactlyElementsOf(expected);
        assertThat(drain(q, ONE_CPU)).containsExactlyElementsOf(expected);
        assertThat(q.size()).isZero();
    }

    @Test
    void agingLiftsAStarvedLowPriorityRun() {
        MutableClock clock = new MutableClock(T0);
        RunQueue q = new RunQueue(clock, RunQueueConfig.DEFAULTS.withAgingStep(Duration.ofMinutes(1)));
        q.enqueue(run(0, 10, null, T0, ONE_CPU));
        int dispatchedAtMinute = -1;
        for (int minute = 1; minute <= 100 && dispatchedAtMinute < 0; minute++) {
            clock.advance(Duration.ofMinutes(1));
            q.enqueue(run(minute, 60, null, clock.instant(), ONE_CPU));
            if (q.next(ONE_CPU).orElseThrow().run().runId() == 0) dispatchedAtMinute = minute;
        }
        // 10 + 50 steps reaches the newcomers' 60, and at equal priority the older arrival goes first
        assertThat(dispatchedAtMinute).isEqualTo(50);
    }

    @Test
    void withoutAgingTheLowPriorityRunWaitsBehindNewcomers() {
        MutableClock clock = new MutableClock(T0);
        RunQueue q = new RunQueue(clock, RunQueueConfig.DEFAULTS.withAgingStep(null));
        q.enqueue(run(0, 10, null, T0, ONE_CPU));
        for (int minute = 1; minute <= 200; minute++) {
            clock.advance(Duration.ofMinutes(1));
            q.enqueue(run(minute, 60, null, clock.instant(), ONE_CPU));
            assertThat(q.next(ONE_CPU).orElseThrow().run().runId()).isNotZero();
        }
        assertThat(q.effectivePriority(q.get(0).orElseThrow())).isEqualTo(10);
    }

    @Test
    void agedRunsCapAt100AndThenGoByDeadline() {
        MutableClock clock = new MutableClock(T0);
        RunQueue q = new RunQueue(clock, RunQueueConfig.DEFAULTS.withAgingStep(Duration.ofMinutes(1)));
        q.enqueue(run(1, 20, null, T0, ONE_CPU));
        q.enqueue(run(2, 90, T0.plus(Duration.ofDays(2)), T0, ONE_CPU));
        clock.advance(Duration.ofMinutes(500));
        q.enqueue(run(3, 100, T0.plus(Duration.ofDays(1)), clock.instant(), ONE_CPU));
        assertThat(q.snapshot()).extracting(QueuedRun::runId).containsExactly(3L, 2L, 1L);
        assertThat(q.snapshot()).allSatisfy(r -> assertThat(q.effectivePriority(r)).isEqualTo(100));
    }

    @Test
    void backfillIsBoundedSoABigRunIsNotStarved() {
        RunQueue q = new RunQueue(new MutableClock(T0), RunQueueConfig.DEFAULTS.withMaxBypass(2));
        q.enqueue(run(1, 90, null, T0, new Amount(4, 1024, GPU)));
        for (long id = 2; id <= 6; id++) q.enqueue(run(id, 20, null, T0, ONE_CPU));
        Amount free = new Amount(2, 4096);

        Dispatch first = q.next(free).orElseThrow();
        assertThat(first.backfill()).isTrue();
        assertThat(first.heldBack()).isEqualTo(1);
        assertThat(q.next(free)).isPresent();
        assertThat(q.next(free)).as("third bypass of the same head").isEmpty();
        Dispatch big = q.next(new Amount(4, 4096, GPU)).orElseThrow();
        assertThat(big.run().runId()).isEqualTo(1);
        assertThat(big.backfill()).isFalse();
        assertThat(drain(q, free)).extracting(QueuedRun::runId).containsExactly(4L, 5L, 6L);
    }

    @Test
    void acceleratorsCountPerClass() {
        RunQueue q = new RunQueue(new MutableClock(T0), RunQueueConfig.DEFAULTS.withMaxBypass(0));
        q.enqueue(run(1, 90, null, T0, new Amount(1, 64, GPU)));
        q.enqueue(run(2, 20, null, T0, new Amount(1, 64, java.util.Map.of("npu", 1))));

        assertThat(q.next(new Amount(4, 4096, java.util.Map.of("npu", 2)))).as("an npu is no gpu").isEmpty();
        assertThat(q.next(new Amount(4, 4096, java.util.Map.of("gpu", 1, "npu", 0)))).map(d -> d.run().runId())
                .contains(1L);
        assertThat(q.next(new Amount(4, 4096, GPU))).as("a gpu is no npu").isEmpty();
        assertThat(q.next(new Amount(4, 4096, java.util.Map.of("npu", 1)))).map(d -> d.run().runId()).contains(2L);
    }

    @Test
    void strictOrderWhenBackfillIsOff() {
        RunQueue q = new RunQueue(new MutableClock(T0), RunQueueConfig.DEFAULTS.withMaxBypass(0));
        q.enqueue(run(1, 90, null, T0, new Amount(4, 1024)));
        q.enqueue(run(2, 20, null, T0, ONE_CPU));
        assertThat(q.next(new Amount(2, 4096))).isEmpty();
        assertThat(q.peek()).map(QueuedRun::runId).contains(1L);
    }

    @Test
    void refusesDuplicatesAndRunsTheNodeCannotHold() {
        RunQueue q = new RunQueue(new MutableClock(T0),
                RunQueueConfig.DEFAULTS.withNodeCapacity(new Amount(4, 8192, GPU)));
        q.enqueue(run(1, 50, null, T0, ONE_CPU));
        assertThatThrownBy(() -> q.enqueue(run(1, 50, null, T0, ONE_CPU)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already queued: 1");
        assertThatThrownBy(() -> q.enqueue(run(2, 50, null, T0, new Amount(1, 64, java.util.Map.of("gpu", 2)))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("run 2 needs 1 vCPU, 64 MiB, 2 gpu");
        assertThatThrownBy(() -> run(3, 101, null, T0, ONE_CPU))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("101");
        assertThat(q.size()).isEqualTo(1);
    }

    @Test
    void expiresRunsPastTheirDeadlineEarliestFirst() {
        MutableClock clock = new MutableClock(T0);
        RunQueue q = new RunQueue(clock, RunQueueConfig.DEFAULTS);
        q.enqueue(run(1, 50, T0.plusSeconds(30), T0, ONE_CPU));
        q.enqueue(run(2, 50, null, T0, ONE_CPU));
        q.enqueue(run(3, 90, T0.plusSeconds(10), T0, ONE_CPU));
        q.enqueue(run(4, 10, T0.plusSeconds(100), T0, ONE_CPU));
        assertThat(q.expire(T0.plusSeconds(10))).isEmpty();
        assertThat(q.expire(T0.plusSeconds(60))).extracting(QueuedRun::runId).containsExactly(3L, 1L);
        assertThat(q.snapshot()).extracting(QueuedRun::runId).containsExactly(2L, 4L);
        assertThat(q.remove(4)).isPresent();
        assertThat(q.remove(4)).isEmpty();
        assertThat(q.expire(T0.plus(Duration.ofDays(1)))).isEmpty();
    }

    @Test
    void anIneligibleRunIsPassedOverWithoutBlockingTheOthersAndKeepsItsPlace() {
        RunQueue q = new RunQueue(new MutableClock(T0), RunQueueConfig.DEFAULTS.withMaxBypass(0));
        QueuedRun capped = new QueuedRun(1, "busy", 90, null, T0, 1, ONE_CPU, true);
        QueuedRun other = new QueuedRun(2, "free", 10, null, T0, 2, ONE_CPU, true);
        q.enqueue(capped);
        q.enqueue(other);
        assertThat(q.peek(r -> !r.pipeline().equals("busy"))).contains(other);
        Dispatch d = q.next(ONE_CPU, r -> !r.pipeline().equals("busy")).orElseThrow();
        assertThat(d.run()).isEqualTo(other);
        assertThat(d.backfill()).isFalse();
        assertThat(q.next(ONE_CPU, r -> !r.pipeline().equals("busy"))).isEmpty();
        assertThat(q.snapshot()).containsExactly(capped);
        assertThat(q.next(ONE_CPU).orElseThrow().run()).isEqualTo(capped);
    }
}
