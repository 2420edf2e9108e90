package io.orchide.link.session;

import io.orchide.link.LinkConfig;
import io.orchide.link.store.LinkStore;
import io.orchide.testkit.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** Two processes' leases on one store: the refusal names the holder and when its lease ends, and says it readably. */
class LeasesTest {
    static final Instant T0 = Instant.parse("2026-12-07T06:00:00Z");

    @TempDir
    Path tmp;

    static LinkConfig cfg(String holder, MutableClock clock) {
        return new LinkConfig("ground", "{}", 0, 0, 0, holder, Duration.ofSeconds(10), null, clock);
    }

    @Test
    void anotherHoldersLeaseIsNamedWithItsEndAndReleasedAtOnceWhenItsHolderLetsGo() throws Exception {
        MutableClock clock = new MutableClock(T0);
        try (LinkStore store = LinkStore.sqlite(tmp.resolve("link.db"))) {
            Leases a = new Leases(store, cfg("ground-a", clock)), b = new Leases(store, cfg("ground-b", clock));
            assertThat(a.acquire("sat-1")).isTrue();
            clock.advance(Duration.ofMillis(2500));
            assertThat(b.acquire("sat-1")).isFalse();
            String refusal = b.refusal("sat-1");
            assertThat(refusal).isEqualTo("session with sat-1 is held by ground-a under a lease that expires at "
                    + "2026-12-07T06:00:10Z (in 7.5 s) unless ground-a renews it");
            assertThat(Leases.expiresIn("refused: " + refusal)).isEqualTo(Duration.ofMillis(7500));

            a.release("sat-1"); // a clean stop: the other takes it at once, long before the lease would have ended
            assertThat(b.acquire("sat-1")).isTrue();
        }
    }

    @Test
    void aCrashedHoldersLeaseEndsAfterItsTimeAndNotBefore() throws Exception {
        MutableClock clock = new MutableClock(T0);
        try (LinkStore store = LinkStore.sqlite(tmp.resolve("link.db"))) {
            Leases a = new Leases(store, cfg("ground-a", clock)), b = new Leases(store, cfg("ground-b", clock));
            assertThat(a.acquire("sat-1")).isTrue();
            clock.advance(Duration.ofSeconds(3));
            assertThat(a.renew()).isEmpty(); // renewed at 3 s, then it crashes: the lease ends at 13 s
            clock.advance(Duration.ofMillis(9_999));
            assertThat(b.acquire("sat-1")).isFalse();
            assertThat(Leases.expiresIn(b.refusal("sat-1"))).isEqualTo(Duration.ofMillis(0));
            clock.advance(Duration.ofMillis(2));
            assertThat(b.acquire("sat-1")).isTrue();
        }
    }

    @Test
    void aHolderThatStalledPastItsLeaseFindsItTakenAndForgetsIt() throws Exception {
        MutableClock clock = new MutableClock(T0);
        try (LinkStore store = LinkStore.sqlite(tmp.resolve("link.db"))) {
            Leases a = new Leases(store, cfg("ground-a", clock)), b = new Leases(store, cfg("ground-b", clock));
            assertThat(a.acquire("sat-1")).isTrue();
            assertThat(a.acquire("sat-1")).as("a session and a delivery share it").isTrue();
            assertThat(a.confirm("sat-1")).isTrue();
            // A freezes; its lease ends and B takes the peer
            clock.advance(Duration.ofSeconds(11));
            assertThat(b.acquire("sat-1")).isTrue();
            // A runs again: before its next delivery it finds the lease is B's, and its renewal says it lost it
            assertThat(a.confirm("sat-1")).isFalse();
            assertThat(a.renew()).containsExactly("sat-1");
            // its references still out release nothing of B's, and asking again goes to the store, which refuses
            a.release("sat-1");
            a.release("sat-1");
            assertThat(store.leaseHolder("sat-1", clock.instant())).isEqualTo("ground-b");
            assertThat(a.acquire("sat-1")).isFalse();
            assertThat(a.renew()).isEmpty();
        }
    }

    @Test
    void aRefusalOfAnotherKindSaysNoEnd() {
        assertThat(Leases.expiresIn("refused: contact closed")).isNull();
        assertThat(Leases.expiresIn(null)).isNull();
    }

    @Test
    void aLeaseIsRenewedEveryThirdOfItsFaceValueOnTheClocksTermsSoThatASimulatedClockNeverLetsItLapse() {
        LinkStore store = null; // renewEvery asks nothing of the store
        Duration ttl = Duration.ofSeconds(30);
        assertThat(new Leases(store, cfgWith(ttl, java.time.Clock.systemUTC())).renewEvery()).isEqualTo(Duration.ofSeconds(10));
        // the twin at 10x: a third of the lease in simulated time is 1 s of real time; renewing every 10 s of real
        // time would let a 30 s lease lapse three times over
        Duration at10x = new Leases(store, cfgWith(ttl, new io.orchide.model.time.ScaledClock(T0, 10))).renewEvery();
        assertThat(at10x).isEqualTo(Duration.ofSeconds(1));
        assertThat(ttl.dividedBy(10)).as("the lease's face value in real time at 10x").isGreaterThan(at10x);
        // however fast the clock, no busier than MIN_RENEW_EVERY
        assertThat(new Leases(store, cfgWith(ttl, new io.orchide.model.time.ScaledClock(T0, 100_000))).renewEvery())
                .isEqualTo(Leases.MIN_RENEW_EVERY);
    }

    static LinkConfig cfgWith(Duration ttl, java.time.Clock clock) {
        return new LinkConfig("ground", "{}", 0, 0, 0, "ground-a", ttl, null, clock);
    }
}
