package io.orchide.node.pipeline.trigger;

import io.orchide.model.time.ScaledClock;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Lateness depends on the machine's load and is not asserted; what is: a task runs, never before its instant on the
 * injected clock, waits in that clock's time (a simulated hour at 3600x is a real second, not an hour), and a
 * cancelled task never runs.
 */
class ClockSchedulerTest {
    @Test
    void aTaskRunsNotBeforeItsInstantOnTheInjectedClockAndWaitsInThatClocksTime() {
        // 3600x: the task due in a simulated hour is a real second away; a scheduler waiting in real time would
        // not run it within the minute the test waits, one ignoring the instant would run it at once (early)
        Clock clock = new ScaledClock(Instant.parse("2030-01-01T00:00:00Z"), 3600);
        try (ClockScheduler scheduler = new ClockScheduler(clock)) {
            Instant at = clock.instant().plus(Duration.ofHours(1));
            AtomicReference<Instant> ranAt = new AtomicReference<>();
            scheduler.schedule(() -> ranAt.set(clock.instant()), at);
            await().atMost(Duration.ofMinutes(1)).until(() -> ranAt.get() != null);
            // the monotonic timer and the clock may disagree by a millisecond or two of real time (seconds here)
            assertThat(ranAt.get()).isAfterOrEqualTo(at.minusSeconds(10));
        }
    }

    @Test
    void aCancelledTaskNeverRunsWhileALaterOneDoes() {
        Clock clock = Clock.systemUTC();
        try (ClockScheduler scheduler = new ClockScheduler(clock)) {
            AtomicBoolean cancelledRan = new AtomicBoolean();
            AtomicBoolean laterRan = new AtomicBoolean();
            scheduler.schedule(() -> cancelledRan.set(true), clock.instant().plusMillis(50)).cancel();
            scheduler.schedule(() -> laterRan.set(true), clock.instant().plusMillis(100));
            await().atMost(Duration.ofMinutes(1)).untilTrue(laterRan);
            // the cancelled task was due first: had it been dispatched, its thread would have started by now
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).untilFalse(cancelledRan);
        }
    }

    @Test
    void aTaskDueInThePastRunsAtOnce() {
        Clock clock = Clock.systemUTC();
        try (ClockScheduler scheduler = new ClockScheduler(clock)) {
            AtomicBoolean ran = new AtomicBoolean();
            scheduler.schedule(() -> ran.set(true), clock.instant().minus(Duration.ofDays(1)));
            await().atMost(Duration.ofMinutes(1)).untilTrue(ran);
        }
    }
}
