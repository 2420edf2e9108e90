package io.orchide.link.session;

import io.orchide.testkit.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** When a keepalive is due and when a peer counts as dead, on a clock the test moves. */
class LivenessTest {
    final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T12:00:00Z"));
    final Liveness live = new Liveness(clock, Duration.ofSeconds(5), Duration.ofSeconds(20));

    @Test
    void aKeepaliveIsDueAfterTheIntervalWithNothingSentAndAnythingSentPostponesIt() {
        assertThat(live.untilKeepalive()).isEqualTo(Duration.ofSeconds(5));
        clock.advance(Duration.ofSeconds(4));
        assertThat(live.untilKeepalive()).isEqualTo(Duration.ofSeconds(1));
        live.sent();
        clock.advance(Duration.ofSeconds(4));
        assertThat(live.untilKeepalive()).isPositive();
        clock.advance(Duration.ofSeconds(1));
        assertThat(live.untilKeepalive().isPositive()).isFalse();
        // what is received does not stand in for what this side must send
        live.received();
        assertThat(live.untilKeepalive().isPositive()).isFalse();
    }

    @Test
    void aPeerThatKeepsSessionsAliveIsDeadAfterTheIdleTimeoutWithNothingReceived() {
        live.peerKeepsAlive();
        clock.advance(Duration.ofSeconds(19));
        assertThat(live.dead()).isFalse();
        clock.advance(Duration.ofSeconds(1));
        assertThat(live.dead()).isTrue();
        assertThat(live.silence()).isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void anyByteReceivedCountsAsLifeAndWhatThisSideSendsDoesNot() {
        live.peerKeepsAlive();
        for (int i = 0; i < 10; i++) {
            // a large frame arriving a piece every 15 s: never 20 s without a byte
            clock.advance(Duration.ofSeconds(15));
            live.received();
            live.sent();
            assertThat(live.dead()).isFalse();
        }
        live.sent();
        clock.advance(Duration.ofSeconds(20));
        live.sent();
        assertThat(live.dead()).isTrue();
    }

    @Test
    void aPeerThatNeverSentAKeepaliveIsNeverTakenForDead() {
        // a peer from before keepalives: idle sessions with it last as long as its connection does
        clock.advance(Duration.ofHours(2));
        assertThat(live.dead()).isFalse();
        assertThat(live.silence()).isEqualTo(Duration.ofHours(2));
    }
}
