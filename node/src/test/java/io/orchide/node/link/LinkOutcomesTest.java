package io.orchide.node.link;

import io.orchide.link.PeerContact;
import io.orchide.model.message.StatusReport;
import io.orchide.testkit.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

/** What the node tells ground about its link's refusals, in its next report. */
class LinkOutcomesTest {
    static final Instant T0 = Instant.parse("2026-12-07T06:00:00Z");
    final MutableClock clock = new MutableClock(T0);
    final NodeEvents events = new NodeEvents(clock);
    final LinkOutcomes outcomes = new LinkOutcomes("sat-1", "n1", null, events);

    static String heldBy(String holder, Instant expires, double in) {
        return "session with sat-1 is held by " + holder + " under a lease that expires at " + expires + " (in "
                + in + " s) unless " + holder + " renews it";
    }

    void opened() {
        outcomes.contactOpened(new PeerContact("ground", "{}", 0, 0, clock.instant()));
    }

    @Test
    void aRefusedSessionIsAnEventOfTheLinkOnceASessionBeginsAndARefusedBundleOneOfThatBundleAtOnce() {
        outcomes.rejected("ground", "", heldBy("ground-a-1-0001", T0.plusSeconds(4), 4.0));
        outcomes.rejected("ground", "report.sat-1.7", "expired");
        assertThat(events.peek()).extracting(StatusReport.Event::subject, StatusReport.Event::message)
                .containsExactly(tuple("bundle/report.sat-1.7", "refused by ground: expired"));
        opened();
        assertThat(events.peek()).extracting(StatusReport.Event::subject, StatusReport.Event::message).containsExactly(
                tuple("bundle/report.sat-1.7", "refused by ground: expired"),
                tuple("link", "session refused by ground: " + heldBy("ground-a-1-0001", T0.plusSeconds(4), 4.0)));
    }

    @Test
    void redialsRefusedForTheSameReasonAndHolderAreOneEventWithTheirCountAndFirstAndLastTime() {
        Instant expires = T0.plusSeconds(10);
        for (int i = 0; i < 5; i++) {
            // the lease's expiry is said afresh, and differently, at each refusal
            outcomes.rejected("ground", "", heldBy("ground-a-1-0001", expires, 10.0 - 2 * i));
            clock.advance(Duration.ofSeconds(2));
        }
        // the lease passes to another replica, which refuses too; then one without its database
        outcomes.rejected("ground", "", heldBy("ground-b-2-0002", expires.plusSeconds(9), 9.0));
        for (int i = 0; i < 3; i++) {
            outcomes.rejected("ground", "", "the store is unavailable (its database cannot be reached); try another endpoint");
            clock.advance(Duration.ofSeconds(4));
        }
        assertThat(events.peek()).isEmpty();
        opened();
        assertThat(events.peek()).extracting(StatusReport.Event::at, StatusReport.Event::subject, StatusReport.Event::message)
                .containsExactly(
                        tuple(T0.plusSeconds(8), "link", "session refused by ground 5 times from " + T0 + " to "
                                + T0.plusSeconds(8) + " (the last: " + heldBy("ground-a-1-0001", expires, 2.0) + ")"),
                        tuple(T0.plusSeconds(10), "link", "session refused by ground: " + heldBy("ground-b-2-0002",
                                expires.plusSeconds(9), 9.0)),
                        tuple(T0.plusSeconds(18), "link", "session refused by ground 3 times from " + T0.plusSeconds(10)
                                + " to " + T0.plusSeconds(18) + " (the last: the store is unavailable (its database "
                                + "cannot be reached); try another endpoint)"));
        // counted afresh after a session: the next refusal is an event of its own
        events.taken(3);
        outcomes.rejected("ground", "", heldBy("ground-a-1-0001", expires, 1.0));
        opened();
        assertThat(events.peek()).extracting(StatusReport.Event::message)
                .containsExactly("session refused by ground: " + heldBy("ground-a-1-0001", expires, 1.0));
    }

    @Test
    void manyDistinctReasonsAreBoundedDroppingTheOldest() {
        for (int i = 0; i < Refusals.MAX + 5; i++) outcomes.rejected("ground", "", "reason " + i);
        opened();
        assertThat(events.peek()).hasSize(Refusals.MAX);
        assertThat(events.peek().getFirst().message()).isEqualTo("session refused by ground: reason 5");
    }

    @Test
    void aGroundTheNodeRefusedForItsKeyIsReportedAtTheNextGoodContact() {
        String why = "key sha256:bad is not ground's pinned key sha256:good";
        outcomes.handshakeFailed("/10.0.0.9:7001", why);
        clock.advance(Duration.ofSeconds(4));
        outcomes.handshakeFailed("/10.0.0.9:7001", why);
        assertThat(outcomes.check("ground", "/10.0.0.8:7001", null)).as("the pinned key was proved by TLS").isNull();
        assertThat(events.peek()).isEmpty();
        opened();
        assertThat(events.peek()).extracting(StatusReport.Event::subject, StatusReport.Event::message)
                .containsExactly(tuple("link", "the node refused a session with the ground at 10.0.0.9:7001 2 times from "
                        + T0 + " to " + T0.plusSeconds(4) + " (the last: " + why + ")"));
    }
}
