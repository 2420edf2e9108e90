package io.orchide.node.housekeeping;

import io.orchide.model.message.Housekeeping;
import io.orchide.model.message.TelemetryBudget;
import io.orchide.node.pipeline.run.PipelineRun;
import io.orchide.node.pipeline.run.RunOrigin;
import io.orchide.node.pipeline.run.RunState;
import io.orchide.node.pipeline.run.StepAttempt;
import io.orchide.node.pipeline.run.StepState;
import io.orchide.node.store.Database;
import io.orchide.testkit.MutableClock;
import io.orchide.web.telemetry.Registry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class StepLogSummariesTest {
    private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");

    @TempDir
    Path dir;

    private final LogSummaries logs = new LogSummaries();
    private final PipelineRun run = new PipelineRun(42, "cloud-filter", 1, 0, null, RunOrigin.manual(null),
            RunState.RUNNING, null, T0, T0, null);

    private Path console(String run, String step, Integer item) {
        return dir.resolve(run).resolve(item == null ? step : step + "." + item).resolve("console.log");
    }

    private StepAttempt ended(String step, Integer item, int attempt, StepState state) {
        return new StepAttempt(run.id(), step, item, attempt, state, dir, state == StepState.SUCCEEDED ? 0 : 1, null,
                null, T0, T0.plusSeconds(5));
    }

    private void write(String step, Integer item, String text) throws Exception {
        Path c = console(run.name(), step, item);
        Files.createDirectories(c.getParent());
        Files.writeString(c, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    @Test
    void aFailedStepsErrorLineIsSummarisedAndSentBeforeRoutineSummaries() throws Exception {
        StepLogSummaries steps = new StepLogSummaries(this::console, logs, Runnable::run);
        logs.line("workload/camera", "frame 1 processed"); // a routine console, summarised before the step ended
        write("filter", null, "loading model\nERROR: tile 7 unreadable: bad checksum\nexiting with 1");
        steps.attemptEnded(run, ended("filter", null, 1, StepState.FAILED));

        List<byte[]> sent = new ArrayList<>();
        try (Database db = Database.open(dir.resolve("node.db"))) {
            MutableClock clock = new MutableClock(T0);
            Housekeeper h = new Housekeeper("n1", new Registry(), new HousekeepingStore(db), logs, sent::add, clock,
                    Duration.ofMinutes(1));
            h.budget(new TelemetryBudget(100L << 20, 1));
            clock.advance(Duration.ofDays(1));
            h.open();
            h.sample();
            clock.advance(Duration.ofMinutes(1));
            h.closeInterval();
            assertThat(h.flush()).isPositive();
        }
        List<Housekeeping.LogSummary> arrived = new ArrayList<>();
        for (byte[] b : sent) arrived.addAll(Housekeeping.decode(b).logs());
        assertThat(arrived).extracting(Housekeeping.LogSummary::subject)
                .containsExactly("run/" + run.name() + "/filter", "workload/camera");
        Housekeeping.LogSummary step = arrived.getFirst();
        assertThat(step.errors()).containsExactly("ERROR: tile 7 unreadable: bad checksum");
        assertThat(step.lines()).isEqualTo(3);
        assertThat(step.errorLines()).isEqualTo(1);
        assertThat(step.first()).isEqualTo("loading model");
        assertThat(step.last()).isEqualTo("exiting with 1");
    }

    @Test
    void aRetryIsSummarisedFromWhereThePreviousAttemptsLogEnded() throws Exception {
        StepLogSummaries steps = new StepLogSummaries(this::console, logs, Runnable::run);
        write("tile", 3, "try 1\nFATAL: out of memory\n");
        steps.attemptEnded(run, ended("tile", 3, 1, StepState.FAILED));
        logs.drain();
        write("tile", 3, "try 2\ndone\n");
        steps.attemptEnded(run, ended("tile", 3, 2, StepState.SUCCEEDED));

        List<Housekeeping.LogSummary> second = logs.drain();
        assertThat(second).hasSize(1);
        assertThat(second.getFirst().subject()).isEqualTo("run/" + run.name() + "/tile.3");
        assertThat(second.getFirst().lines()).isEqualTo(2);
        assertThat(second.getFirst().errorLines()).isZero();
        assertThat(second.getFirst().first()).isEqualTo("try 2");
    }

    @Test
    void aRetryAfterAnAgentRestartIsSummarisedFromWhereTheAttemptBeforeTheRestartEnded() throws Exception {
        Path file = dir.resolve("node.db");
        write("tile", null, "try 1\nFATAL: out of memory\n");
        try (Database db = Database.open(file)) {
            new StepLogSummaries(this::console, logs, Runnable::run, new StepLogOffsets(db, StepLogSummaries.MAX_CONSOLES))
                    .attemptEnded(run, ended("tile", null, 1, StepState.FAILED));
        }
        assertThat(logs.drain().getFirst().lines()).isEqualTo(2);
        write("tile", null, "try 2\n");
        try (Database db = Database.open(file)) { // the agent restarted: nothing of the first in memory
            new StepLogSummaries(this::console, logs, Runnable::run, new StepLogOffsets(db, StepLogSummaries.MAX_CONSOLES))
                    .attemptEnded(run, ended("tile", null, 2, StepState.SUCCEEDED));
        }
        Housekeeping.LogSummary second = logs.drain().getFirst();
        assertThat(second.lines()).isEqualTo(1);
        assertThat(second.errorLines()).isZero();
        assertThat(second.first()).isEqualTo("try 2");
    }

    @Test
    void theOffsetsKeptAreBoundedTheOldestGoingFirst() throws Exception {
        try (Database db = Database.open(dir.resolve("node.db"))) {
            StepLogOffsets offsets = new StepLogOffsets(db, 2);
            offsets.put(dir.resolve("a"), new StepLogOffsets.Offset("k", 1));
            offsets.put(dir.resolve("b"), new StepLogOffsets.Offset("k", 2));
            offsets.put(dir.resolve("a"), new StepLogOffsets.Offset("k", 3)); // written again: now the newest
            offsets.put(dir.resolve("c"), new StepLogOffsets.Offset(null, 4));
            assertThat(offsets.get(dir.resolve("b"))).isEmpty();
            assertThat(offsets.get(dir.resolve("a"))).contains(new StepLogOffsets.Offset("k", 3));
            assertThat(offsets.get(dir.resolve("c"))).contains(new StepLogOffsets.Offset(null, 4));
        }
    }

    @Test
    void aConsoleRotatedBetweenAttemptsIsReadFromItsStart() throws Exception {
        StepLogSummaries steps = new StepLogSummaries(this::console, logs, Runnable::run);
        write("tile", null, "first attempt, a long line that the rotation moves away\n");
        steps.attemptEnded(run, ended("tile", null, 1, StepState.FAILED));
        logs.drain();
        Path c = console(run.name(), "tile", null);
        Files.move(c, c.resolveSibling("console.log.1")); // as the shim rotates the ring
        write("tile", null, "second attempt: error reading the scene\nthe output is written and longer than before\n");
        steps.attemptEnded(run, ended("tile", null, 2, StepState.FAILED));

        Housekeeping.LogSummary second = logs.drain().getFirst();
        assertThat(second.lines()).isEqualTo(2);
        assertThat(second.errors()).containsExactly("second attempt: error reading the scene");
    }

    @Test
    void aStepWithoutALogIsNoTroubleToTheEngine() {
        StepLogSummaries steps = new StepLogSummaries(this::console, logs, Runnable::run);
        steps.attemptEnded(run, ended("never-launched", null, 1, StepState.FAILED));
        assertThat(logs.drain()).isEmpty();
    }
}
