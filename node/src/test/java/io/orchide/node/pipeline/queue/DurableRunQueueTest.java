package io.orchide.node.pipeline.queue;

import io.orchide.testkit.MutableClock;
import io.orchide.node.store.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DurableRunQueueTest {
    static final java.util.Map<String, Integer> GPU = java.util.Map.of("gpu", 1);
    static final Instant T0 = RunQueueTest.T0;
    static final RunQueueConfig CONFIG = RunQueueConfig.DEFAULTS.withAgingStep(Duration.ofMinutes(1));

    @TempDir
    Path tmp;

    @Test
    void restartRestoresTheSameOrderWithNothingLostOrDoubled() throws Exception {
        Path file = tmp.resolve("node.db");
        MutableClock clock = new MutableClock(T0);
        Random rnd = new Random(7);
        List<QueuedRun> before;
        List<Long> dispatched = new ArrayList<>();
        Database db = Database.open(file);
        DurableRunQueue q = DurableRunQueue.open(db, clock, CONFIG);
        for (long id = 1; id <= 120; id++) {
            clock.advance(Duration.ofSeconds(rnd.nextInt(40)));
            Instant deadline = rnd.nextBoolean() ? null : clock.instant().plus(Duration.ofHours(1 + rnd.nextInt(3)));
            q.enqueue(new QueuedRun(id, "pipe-" + (id % 5), rnd.nextInt(101), deadline, clock.instant(),
                    q.nextSequence(), new Amount(1 + rnd.nextInt(2), 256, rnd.nextBoolean() ? GPU : java.util.Map.of()), rnd.nextBoolean()));
            if (id % 10 == 0) dispatched.add(q.next(new Amount(2, 1024, GPU)).orElseThrow().run().runId());
            if (id % 17 == 0) q.remove(id - 3);
        }
        before = q.snapshot();
        // a second connection sees every acknowledged change before the first is closed (as after kill -9)
        try (Database other = Database.open(file)) {
            assertThat(DurableRunQueue.open(other, clock, CONFIG).snapshot()).containsExactlyElementsOf(before);
        }
        db.close();

        try (Database reopened = Database.open(file)) {
            DurableRunQueue again = DurableRunQueue.open(reopened, clock, CONFIG);
            List<QueuedRun> after = again.snapshot();
            assertThat(after).containsExactlyElementsOf(before);
            assertThat(new HashSet<>(after.stream().map(QueuedRun::runId).toList())).hasSize(after.size())
                    .doesNotContainAnyElementsOf(dispatched);
            assertThat(after).hasSize(120 - dispatched.size() - 7);
            assertThat(again.nextSequence()).isEqualTo(120);
        }
    }

    @Test
    void expiryIsRecordedWithItsReasonAndSurvivesRestart() throws Exception {
        Path file = tmp.resolve("node.db");
        MutableClock clock = new MutableClock(T0);
        try (Database db = Database.open(file)) {
            DurableRunQueue q = DurableRunQueue.open(db, clock, CONFIG);
            q.enqueue(new QueuedRun(1, "ndvi", 40, T0.plusSeconds(60), T0, 0, new Amount(1, 64), true));
            q.enqueue(new QueuedRun(2, "ndvi", 40, null, T0, 1, new Amount(1, 64), true));
            clock.advance(Duration.ofMinutes(5));
            List<Expiry> expired = q.expire();
            assertThat(expired).extracting(x -> x.run().runId()).containsExactly(1L);
            assertThat(expired.getFirst().reason()).contains("deadline 2026-11-26T10:01:00Z passed")
                    .contains("PT5M");
        }
        try (Database db = Database.open(file)) {
            assertThat(DurableRunQueue.open(db, clock, CONFIG).snapshot()).extracting(QueuedRun::runId)
                    .containsExactly(2L);
            assertThat(new RunQueueStore(db).expiryReason(1)).hasValueSatisfying(r -> assertThat(r)
                    .startsWith("deadline 2026-11-26T10:01:00Z passed before the run could start"));
        }
    }

    @Test
    void aRefusedRunIsNotStored() throws Exception {
        Path file = tmp.resolve("node.db");
        try (Database db = Database.open(file)) {
            DurableRunQueue q = DurableRunQueue.open(db, new MutableClock(T0),
                    CONFIG.withNodeCapacity(new Amount(2, 1024)));
            assertThatThrownBy(() -> q.enqueue(new QueuedRun(1, "big", 40, null, T0, 0, new Amount(8, 64), true)))
                    .hasMessageContaining("run 1 needs 8 vCPU");
            assertThat(new RunQueueStore(db).load()).isEmpty();
        }
    }

    @Test
    void aRecoveredRunATriggerStoredMeanwhileIsQueuedOnceAndOneItDidNotIsStored() throws Exception {
        Path file = tmp.resolve("node.db");
        MutableClock clock = new MutableClock(T0);
        try (Database db = Database.open(file); Database trigger = Database.open(file)) {
            DurableRunQueue q = DurableRunQueue.open(db, clock, CONFIG);
            QueuedRun fired = new QueuedRun(7, "cloud-filter", 70, null, T0, 0, new Amount(1, 32), true);
            QueuedRun dispatched = new QueuedRun(5, "cloud-filter", 70, null, T0, 1, new Amount(1, 32), true);
            // as the agent starts, a trigger's transaction on its own connection stores a run (the scan of a
            // dataset finds a file that arrived while the agent was down) before the engine recovers its runs
            RunQueueStore.insert(trigger.connection(), fired);

            q.requeueRecovered(fired);       // was refused as a duplicate before: the agent could not start
            q.requeueRecovered(dispatched);  // dispatched but not started when the agent died: stored again
            q.requeueRecovered(fired);

            assertThat(q.snapshot()).extracting(QueuedRun::runId).containsExactlyInAnyOrder(5L, 7L);
            assertThat(new RunQueueStore(trigger).load()).extracting(QueuedRun::runId)
                    .containsExactlyInAnyOrder(5L, 7L);
        }
    }
}
