package io.orchide.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CronTest {
    private static ZonedDateTime utc(String localDateTime) {
        return LocalDateTime.parse(localDateTime).atZone(ZoneOffset.UTC);
    }

    @Test
    void everyFifteenMinutes() {
        Cron c = Cron.parse("*/15 * * * *");
        assertThat(Long.bitCount(c.minutes())).isEqualTo(4);
        assertThat(c.next(utc("2026-01-01T10:07:30"))).isEqualTo(utc("2026-01-01T10:15:00"));
        assertThat(c.next(utc("2026-01-01T10:15:00"))).isEqualTo(utc("2026-01-01T10:30:00"));
        assertThat(c.next(utc("2026-01-01T23:50:00"))).isEqualTo(utc("2026-01-02T00:00:00"));
    }

    @Test
    void listsRangesStepsAndNames() {
        Cron c = Cron.parse("  5,10-12,50/5   1-23/11 1 jan-Mar *");
        assertThat(c.expression()).isEqualTo("5,10-12,50/5 1-23/11 1 jan-Mar *");
        assertThat(c.minutes()).isEqualTo(1L << 5 | 1L << 10 | 1L << 11 | 1L << 12 | 1L << 50 | 1L << 55);
        assertThat(c.hours()).isEqualTo(1L << 1 | 1L << 12 | 1L << 23);
        assertThat(c.months()).isEqualTo(1L << 1 | 1L << 2 | 1L << 3);
        assertThat(c.next(utc("2026-03-01T23:56:00"))).isEqualTo(utc("2027-01-01T01:05:00"));
    }

    @Test
    void sundayIsZeroOrSeven() {
        assertThat(Cron.parse("0 0 * * 7").daysOfWeek()).isEqualTo(1L);
        assertThat(Cron.parse("0 0 * * SUN")).isEqualTo(new Cron("0 0 * * SUN", 1L, 1L,
                Cron.parse("0 0 * * *").daysOfMonth(), Cron.parse("0 0 * * *").months(), 1L, true, false));
        // 2026-11-29 is a Sunday
        assertThat(Cron.parse("0 12 * * 0").next(utc("2026-11-26T00:00:00"))).isEqualTo(utc("2026-11-29T12:00:00"));
        assertThat(Cron.parse("0 12 * * 5-7").next(utc("2026-11-26T00:00:00"))).isEqualTo(utc("2026-11-27T12:00:00"));
    }

    @Test
    void restrictedDayOfMonthAndDayOfWeekFireOnEither() {
        Cron c = Cron.parse("0 0 13 * FRI");
        assertThat(c.matches(LocalDateTime.parse("2026-11-13T00:00"))).isTrue(); // a Friday the 13th
        assertThat(c.matches(LocalDateTime.parse("2026-11-20T00:00"))).isTrue(); // a Friday
        assertThat(c.matches(LocalDateTime.parse("2026-12-13T00:00"))).isTrue(); // a Sunday the 13th
        assertThat(c.matches(LocalDateTime.parse("2026-11-19T00:00"))).isFalse();
        Cron onlyDom = Cron.parse("0 0 13 * *");
        assertThat(onlyDom.matches(LocalDateTime.parse("2026-11-20T00:00"))).isFalse();
    }

    @Test
    void leapDaysAreFoundYearsAhead() {
        assertThat(Cron.parse("0 0 29 2 *").next(utc("2026-03-01T00:00:00"))).isEqualTo(utc("2028-02-29T00:00:00"));
    }

    @Test
    void nextKeepsTheZone() {
        ZonedDateTime after = ZonedDateTime.of(2026, 6, 1, 8, 0, 0, 0, ZoneOffset.ofHours(2));
        assertThat(Cron.parse("30 8 * * *").next(after).getOffset()).isEqualTo(ZoneOffset.ofHours(2));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "* * * *", "* * * * * *", "@hourly", "60 * * * *", "* 24 * * *", "* * 0 * *",
            "* * 32 * *", "* * * 0 *", "* * * 13 *", "* * * * 8", "*/0 * * * *", "*/61 * * * *", "5-1 * * * *",
            "1,,2 * * * *", ", * * * *", "- * * * *", "1- * * * *", "*/ * * * *", "x * * * *", "* * * FOO *",
            "* * * * MON-XYZ", "* * * * 1.5", "-1 * * * *", "0 0 31 2 *", "0 0 30,31 2 *", "0 0 31 4,6,9,11 *",
            "99999 * * * *"})
    void rejects(String text) {
        assertThatThrownBy(() -> Cron.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("Exception");
    }

    @Test
    void errorsNameTheField() {
        assertThatThrownBy(() -> Cron.parse("0 0 * 13 *")).hasMessage("field 4 (month) value 13 is out of range 1-12");
        assertThatThrownBy(() -> Cron.parse("0 0 31 2 *")).hasMessageContaining("never fires");
    }

    @Test
    void aDayThatNeverComesIsFineWhenADayOfWeekIsGiven() {
        assertThat(Cron.parse("0 0 31 2 MON").next(utc("2026-11-26T00:00:00"))).isEqualTo(utc("2027-02-01T00:00:00"));
    }
}
