package io.orchide.node.pipeline.trigger;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class ClockSchedulerTest {
    @Test
    void firesWithinAHundredMillisecondsOfANearInstantAndCancelledTasksNever() throws Exception {
        Clock clock = Clock.systemUTC();
        try (ClockScheduler scheduler = new ClockScheduler(clock)) {
            CountDownLatch cancelledRan = new CountDownLatch(1);
            scheduler.schedule(cancelledRan::countDown, clock.instant().plusMillis(100)).cancel();

            Instant at = clock.instant().plusMillis(150);
            AtomicReference<Instant> ranAt = new AtomicReference<>();
            CountDownLatch ran = new CountDownLatch(1);
            scheduler.schedule(() -> {
                ranAt.set(clock.instant());
                ran.countDown();
            }, at);
            assertThat(ran.await(2, TimeUnit.SECONDS)).isTrue();
            assertThat(Duration.between(at, ranAt.get())).isBetween(Duration.ofMillis(-5), Duration.ofMillis(100));
            assertThat(cancelledRan.await(100, TimeUnit.MILLISECONDS)).isFalse();
        }
    }
}
