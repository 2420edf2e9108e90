package io.orchide.node.link;

import io.orchide.model.message.StatusReport;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class PositionNewsTest {
    static final String SOURCE = "gnss gnss-1, then tle SAT-1 (epoch 26330.5)";
    static final Instant T0 = Instant.parse("2026-12-07T12:00:00Z");

    static StatusReport.Position fix(String from, Instant at, double lat) {
        return new StatusReport.Position(SOURCE, new StatusReport.Position.Fix(from, at, lat, 11.5, 500_000), null);
    }

    final PositionNews news = new PositionNews();

    @Test
    void theFirstPositionIsNewsAndTheSatelliteMovingIsNot() {
        StatusReport.Position first = fix("gnss gnss-1", T0, 48.1);
        assertThat(news.due(first)).isTrue();
        news.sent(first);
        assertThat(news.due(fix("gnss gnss-1", T0.plusSeconds(600), 12.0))).as("ten minutes on, elsewhere").isFalse();
    }

    @Test
    void aFixComingOrGoingOrAnotherSourceAnsweringIsNews() {
        news.sent(fix("gnss gnss-1", T0, 48.1));
        StatusReport.Position lost = new StatusReport.Position(SOURCE, null, "gnss gnss-1: the receiver has given no fix yet");
        assertThat(news.due(lost)).isTrue();
        news.sent(lost);
        assertThat(news.due(new StatusReport.Position(SOURCE, null, "gnss gnss-1: the newest fix is 30 s old"))).isFalse();
        StatusReport.Position tle = fix("tle SAT-1 (epoch 26330.5)", T0.plusSeconds(60), 40.0);
        assertThat(news.due(tle)).as("the TLE stands in").isTrue();
        news.sent(tle);
        assertThat(news.due(fix("gnss gnss-1", T0.plusSeconds(120), 41.0))).as("the receiver answers again").isTrue();
    }

    @Test
    void aContactMakesTheNextPositionNewsOnce() {
        StatusReport.Position p = fix("gnss gnss-1", T0, 48.1);
        news.sent(p);
        news.contactOpened();
        assertThat(news.due(fix("gnss gnss-1", T0.plusSeconds(5400), 10.0))).isTrue();
        news.sent(fix("gnss gnss-1", T0.plusSeconds(5400), 10.0));
        assertThat(news.due(fix("gnss gnss-1", T0.plusSeconds(5460), 12.0))).isFalse();
    }

    @Test
    void aNodeThatReportsNoPositionNeverMakesAReportForIt() {
        news.contactOpened();
        assertThat(news.due(null)).isFalse();
    }
}
