package io.orchide.node.pipeline.trigger;

import io.orchide.model.Cron;
import io.orchide.model.Trigger;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class ScheduleTimesTest {
    @Test
    void theLatestOwedCronMinuteOfALongWindowIsFoundWithoutReplaying() {
        Instant anchor = Instant.parse("2026-03-01T00:00:00Z");
        ScheduleTimes weekly = new ScheduleTimes(new Trigger.Schedule(Cron.parse("30 6 * * MON"), null, null), anchor);
        Instant now = Instant.parse("2026-03-25T12:00:00Z"); // a Wednesday, weeks later
        assertThat(weekly.latestOwed(null, now)).isEqualTo(Instant.parse("2026-03-23T06:30:00Z"));
        assertThat(weekly.latestOwed(Instant.parse("2026-03-23T06:30:00Z"), now)).isNull();
        assertThat(weekly.latestOwed(null, Instant.parse("2026-03-02T06:29:59Z"))).isNull();
        assertThat(weekly.latestOwed(null, Instant.parse("2026-03-02T06:30:00Z")))
                .isEqualTo(Instant.parse("2026-03-02T06:30:00Z"));
        assertThat(weekly.after(Instant.parse("2026-03-23T06:30:00Z"))).isEqualTo(Instant.parse("2026-03-30T06:30:00Z"));
    }
}
