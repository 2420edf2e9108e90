package io.orchide.node.broker;

import io.orchide.testkit.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

class LeasesTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
    private final Leases leases = new Leases(clock, Duration.ofMinutes(5));

    @Test
    void aHeldLeaseMakesALowerPriorityRequestWaitNotFail() {
        Leases.Lease high = leases.acquire("camera-1", "ocean/pipeline/urgent", 90).join();
        CompletableFuture<Leases.Lease> low = leases.acquire("camera-1", "fire/pipeline/survey", 10);

        assertThat(low).isNotDone();
        assertThat(leases.holder("camera-1")).contains(high);
        leases.release(high);
        assertThat(low).isCompleted();
        assertThat(low.join().holder()).isEqualTo("fire/pipeline/survey");
    }

    @Test
    void theWaiterOfTheHighestPriorityGoesNextAndEqualsInTheOrderTheyAsked() {
        Leases.Lease first = leases.acquire("camera-1", "a/pipeline/first", 0).join();
        CompletableFuture<Leases.Lease> low = leases.acquire("camera-1", "a/pipeline/low", 1);
        CompletableFuture<Leases.Lease> highEarly = leases.acquire("camera-1", "b/pipeline/high-early", 50);
        CompletableFuture<Leases.Lease> highLate = leases.acquire("camera-1", "c/pipeline/high-late", 50);

        leases.release(first);
        assertThat(highEarly).isCompleted();
        assertThat(highLate).isNotDone();
        assertThat(low).isNotDone();
        leases.release(highEarly.join());
        assertThat(highLate).isCompleted();
        leases.release(highLate.join());
        assertThat(low).isCompleted();
    }

    @Test
    void aLeaseNotGivenBackInTimeEndsAndTheNextWaiterGetsTheDevice() {
        Leases.Lease stuck = leases.acquire("gpu-0", "a/app/crashed", 0).join();
        CompletableFuture<Leases.Lease> next = leases.acquire("gpu-0", "b/app/next", 0);

        clock.advance(Duration.ofMinutes(5).minusSeconds(1));
        leases.expireOverdue();
        assertThat(next).isNotDone();
        clock.advance(Duration.ofSeconds(1));
        leases.expireOverdue();
        assertThat(next).isCompleted();
        leases.release(stuck); // late: changes nothing
        assertThat(leases.holder("gpu-0")).contains(next.join());
    }

    @Test
    void twoHoldersNeverHoldOneDeviceAtOnceButDevicesAreApart() {
        Leases.Lease a = leases.acquire("gpu-0", "a/pipeline/p", 5).join();
        CompletableFuture<Leases.Lease> b = leases.acquire("gpu-0", "b/pipeline/q", 99);
        CompletableFuture<Leases.Lease> other = leases.acquire("camera-1", "b/pipeline/q", 99);
        assertThat(b).isNotDone();
        assertThat(other).isCompleted();
        assertThat(leases.holder("gpu-0")).contains(a);
    }

    @Test
    void aCancelledWaiterIsSkipped() {
        Leases.Lease a = leases.acquire("gpu-0", "a/app/x", 0).join();
        CompletableFuture<Leases.Lease> gone = leases.acquire("gpu-0", "b/app/gone", 9);
        CompletableFuture<Leases.Lease> stays = leases.acquire("gpu-0", "c/app/stays", 1);
        leases.cancel(gone);
        leases.release(a);
        assertThat(stays).isCompleted();
        assertThat(leases.waiters("gpu-0")).isEmpty();
    }
}
