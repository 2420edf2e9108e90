package io.orchide.bench;

import io.orchide.node.layout.NodeLayout;
import io.orchide.node.store.NodeDatabase;
import io.orchide.node.pipeline.queue.Amount;
import io.orchide.node.pipeline.queue.DurableRunQueue;
import io.orchide.node.pipeline.queue.QueuedRun;
import io.orchide.node.pipeline.queue.RunQueue;
import io.orchide.node.pipeline.queue.RunQueueConfig;
import io.orchide.node.pipeline.queue.RunQueueStore;
import io.orchide.node.store.Database;
import io.orchide.testkit.MutableClock;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.lang.ref.Reference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The run queue's figures: decisions per second (JMH, {@link RunQueueBench}), heap per queued run (used heap after
 * full GCs, with and without 100,000 queued runs), durable enqueues per second (each one committed with
 * {@code synchronous=FULL}) and the time to restore 100,000 queued runs from the database.
 */
public final class RunQueueFigures {
    private static final int N = 100_000;
    private static final Instant START = Instant.ofEpochMilli(1_795_000_000_000L);
    private static final int DURABLE_N = Integer.getInteger("bench.durable", 500);

    private RunQueueFigures() {
    }

    public static void main(String[] args) throws Exception {
        memoryPerRun();
        durable();
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .include(RunQueueBench.class.getName() + ".*").build()).run();
        for (RunResult r : results) {
            System.out.printf("enqueue + dispatch decision pairs/s, %d queued, aging %s: %,.0f +- %,.0f%n",
                    Integer.parseInt(r.getParams().getParam("queued")), r.getParams().getParam("aging"),
                    r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreError());
        }
    }

    private static void memoryPerRun() {
        long before = usedAfterGc();
        MutableClock clock = new MutableClock(START);
        RunQueue q = new RunQueue(clock, RunQueueConfig.DEFAULTS.withAgingStep(Duration.ofMinutes(1)));
        SplittableRandom rnd = new SplittableRandom(1);
        for (int i = 0; i < N; i++) {
            clock.advance(RunQueueBench.STEP);
            q.enqueue(RunQueueBench.newRun(q, clock, rnd, i));
        }
        long after = usedAfterGc();
        Reference.reachabilityFence(q);
        System.out.printf("heap per queued run (record, instants, need, index entries), %d queued: %d bytes%n",
                N, (after - before) / N);
    }

    private static void durable() throws Exception {
        Path dir = Files.createTempDirectory("orchide-queue-bench");
        try (NodeDatabase nodeDb = NodeDatabase.open(NodeLayout.of(dir))) {
            Database db = nodeDb.engine();
            MutableClock clock = new MutableClock(START);
            DurableRunQueue dq = DurableRunQueue.open(db, clock, RunQueueConfig.DEFAULTS);
            RunQueue shape = new RunQueue(clock, RunQueueConfig.DEFAULTS);
            SplittableRandom rnd = new SplittableRandom(2);
            long t0 = System.nanoTime();
            for (int i = 0; i < DURABLE_N; i++) dq.enqueue(RunQueueBench.newRun(shape, clock, rnd, i).withSequence(i));
            double perSec = DURABLE_N / ((System.nanoTime() - t0) / 1e9);
            System.out.printf("durable enqueue (one SQLite commit each, WAL, synchronous=FULL), %d runs: %,.0f/s%n",
                    DURABLE_N, perSec);
            List<QueuedRun> more = new ArrayList<>();
            for (int i = DURABLE_N; i < N; i++) more.add(RunQueueBench.newRun(shape, clock, rnd, i).withSequence(i));
            new RunQueueStore(db).insertAll(more);
        }
        try (NodeDatabase nodeDb = NodeDatabase.open(NodeLayout.of(dir))) {
            Database db = nodeDb.engine();
            long t0 = System.nanoTime();
            DurableRunQueue dq = DurableRunQueue.open(db, new MutableClock(START),
                    RunQueueConfig.DEFAULTS);
            System.out.printf("restore after restart, %d queued runs: %.0f ms (%s)%n", dq.size(),
                    (System.nanoTime() - t0) / 1e6, dq.peek().map(QueuedRun::need).orElse(Amount.ZERO));
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static long usedAfterGc() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 4; i++) {
            System.gc();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}
