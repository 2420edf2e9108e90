package io.orchide.node.link;

import io.orchide.model.message.StatusReport;
import io.orchide.testkit.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** What the node tells ground about its link's refusals, in its next report. */
class LinkOutcomesTest {
    final NodeEvents events = new NodeEvents(new MutableClock(Instant.parse("2026-12-07T06:00:00Z")));
    final LinkOutcomes outcomes = new LinkOutcomes("sat-1", "n1", null, events);

    @Test
    void aRefusedSessionIsAnEventOfTheLinkAndARefusedBundleOneOfThatBundle() {
        outcomes.rejected("ground", "", "session with sat-1 is held by ground-a-1-0001 under a lease that expires at ...");
        outcomes.rejected("ground", "report.sat-1.7", "expired");
        assertThat(events.peek()).extracting(StatusReport.Event::subject, StatusReport.Event::message).containsExactly(
                org.assertj.core.groups.Tuple.tuple("link",
                        "session refused by ground: session with sat-1 is held by ground-a-1-0001 under a lease that expires at ..."),
                org.assertj.core.groups.Tuple.tuple("bundle/report.sat-1.7", "refused by ground: expired"));
    }
}
