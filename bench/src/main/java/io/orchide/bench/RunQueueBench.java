package io.orchide.bench;

import io.orchide.node.pipeline.queue.Amount;
import io.orchide.node.pipeline.queue.Dispatch;
import io.orchide.node.pipeline.queue.QueuedRun;
import io.orchide.node.pipeline.queue.RunQueue;
import io.orchide.node.pipeline.queue.RunQueueConfig;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import io.orchide.testkit.MutableClock;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Run queue throughput (JMH): one operation = enqueue one run + one dispatch decision, on a queue holding
 * {@code queued} runs (it stays at that size). Mixed priorities, half the runs with a deadline, needs of 1 to 4
 * vCPUs and sometimes an accelerator; the simulated clock moves 10 ms per operation, so with aging on the
 * classes age and merge into the capped set as the run goes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class RunQueueBench {
    static final String[] PIPELINES = new String[50];

    static {
        for (int i = 0; i < PIPELINES.length; i++) PIPELINES[i] = "pipeline-" + i;
    }

    /** How far the simulated clock moves per operation. */
    static final Duration STEP = Duration.ofMillis(10);

    @Param({"100000"})
    int queued;

    @Param({"1m", "off"})
    String aging;

    private MutableClock clock;
    private RunQueue queue;
    private SplittableRandom rnd;
    private long nextId;
    private final Amount free = new Amount(4, 16384, Map.of("gpu", 1));

    @Setup(Level.Trial)
    public void fill() {
        clock = new MutableClock(Instant.parse("2026-11-26T10:00:00Z"));
        Duration step = aging.equals("off") ? null : Duration.ofMinutes(1);
        queue = new RunQueue(clock, RunQueueConfig.DEFAULTS.withAgingStep(step));
        rnd = new SplittableRandom(1);
        for (int i = 0; i < queued; i++) queue.enqueue(newRun(queue, clock, rnd, nextId++));
    }

    @Benchmark
    public Dispatch enqueueAndDispatch() {
        clock.advance(STEP);
        queue.enqueue(newRun(queue, clock, rnd, nextId++));
        return queue.next(free).orElseThrow();
    }

    /** A run as the bench and the memory figure make them. */
    static QueuedRun newRun(RunQueue q, Clock clock, SplittableRandom rnd, long id) {
        Instant now = clock.instant();
        Instant deadline = rnd.nextBoolean() ? null : now.plusSeconds(3600 + rnd.nextInt(86_400));
        Amount need = new Amount(1 + rnd.nextInt(4), 256L << rnd.nextInt(5), rnd.nextInt(8) == 0 ? Map.of("gpu", 1) : Map.of());
        return new QueuedRun(id, PIPELINES[rnd.nextInt(PIPELINES.length)], rnd.nextInt(101), deadline, now,
                q.nextSequence(), need, rnd.nextBoolean());
    }
}
