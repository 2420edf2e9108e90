package io.orchide.model;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.Month;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;

/**
 * A five-field cron expression: minute (0-59), hour (0-23), day of month (1-31), month (1-12 or JAN-DEC), day of
 * week (0-7, 0 and 7 both Sunday, or SUN-SAT). Each field is {@code *} or a comma list of {@code n}, {@code a-b},
 * each optionally followed by {@code /step} ({@code n/step} runs from n to the field's maximum). As in Vixie cron,
 * when both day of month and day of week are restricted, a day matching either fires. Each field is kept as a bit
 * set, bit i for value i.
 */
public record Cron(String expression, long minutes, long hours, long daysOfMonth, long months, long daysOfWeek,
                   boolean anyDayOfMonth, boolean anyDayOfWeek) {
    private static final List<String> FIELDS = List.of("minute", "hour", "day of month", "month", "day of week");
    private static final int[] MIN = {0, 0, 1, 1, 0};
    private static final int[] MAX = {59, 23, 31, 12, 7};
    private static final List<String> MONTHS =
            List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC");
    private static final List<String> DAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");
    /** How far {@link #next} looks: beyond the longest gap between two matching days (29 February on a Monday). */
    private static final int HORIZON_DAYS = 366 * 29;

    /**
     * Parses an expression; the {@link #expression} kept has its fields separated by single spaces.
     *
     * @throws IllegalArgumentException naming the field and what is wrong with it
     */
    public static Cron parse(String text) {
        String[] f = text.strip().split("\\s+");
        if (f.length != 5 || text.isBlank()) {
            throw new IllegalArgumentException("must have 5 fields (minute hour day-of-month month day-of-week), has "
                    + (text.isBlank() ? 0 : f.length));
        }
        long[] bits = new long[5];
        for (int i = 0; i < 5; i++) bits[i] = field(i, f[i]);
        if ((bits[4] & (1L << 7)) != 0) bits[4] = (bits[4] | 1L) & ~(1L << 7);
        Cron cron = new Cron(String.join(" ", f), bits[0], bits[1], bits[2], bits[3], bits[4],
                f[2].equals("*"), f[4].equals("*"));
        if (cron.anyDayOfWeek() && !cron.anyDayOfMonth() && !cron.dayExistsInAMonth()) {
            throw new IllegalArgumentException("never fires: no selected month has the selected days of month");
        }
        return cron;
    }

    private static long field(int i, String text) {
        long bits = 0;
        for (String part : text.split(",", -1)) bits |= part(i, part);
        return bits;
    }

    private static long part(int i, String part) {
        String where = "field " + (i + 1) + " (" + FIELDS.get(i) + ") ";
        String range = part;
        int step = 1;
        int slash = part.indexOf('/');
        if (slash >= 0) {
            range = part.substring(0, slash);
            step = number(i, part.substring(slash + 1), where, true);
            if (step < 1 || step > MAX[i] - MIN[i] + 1) {
                throw new IllegalArgumentException(where + "step must be 1 to " + (MAX[i] - MIN[i] + 1) + ", not "
                        + step);
            }
        }
        int from;
        int to;
        if (range.equals("*")) {
            from = MIN[i];
            to = MAX[i];
        } else {
            int dash = range.indexOf('-');
            from = value(i, dash < 0 ? range : range.substring(0, dash), where);
            to = dash < 0 ? (slash >= 0 ? MAX[i] : from) : value(i, range.substring(dash + 1), where);
            if (from > to) throw new IllegalArgumentException(where + "range " + range + " runs backwards");
        }
        long bits = 0;
        for (int v = from; v <= to; v += step) bits |= 1L << v;
        return bits;
    }

    private static int value(int i, String s, String where) {
        String upper = s.toUpperCase(Locale.ROOT);
        if (i == 3 && MONTHS.contains(upper)) return MONTHS.indexOf(upper) + 1;
        if (i == 4 && DAYS.contains(upper)) return DAYS.indexOf(upper);
        int v = number(i, s, where, false);
        if (v < MIN[i] || v > MAX[i]) {
            throw new IllegalArgumentException(where + "value " + v + " is out of range " + MIN[i] + "-" + MAX[i]);
        }
        return v;
    }

    private static int number(int i, String s, String where, boolean step) {
        if (!s.matches("[0-9]{1,4}")) {
            throw new IllegalArgumentException(where + (s.isEmpty() ? "has an empty " + (step ? "step" : "value")
                    : "'" + s + "' is not " + (step ? "a step" : i == 3 ? "a month" : i == 4 ? "a day of week"
                    : "a number")));
        }
        return Integer.parseInt(s);
    }

    private boolean dayExistsInAMonth() {
        for (Month m : Month.values()) {
            if ((months & (1L << m.getValue())) == 0) continue;
            for (int d = 1; d <= m.maxLength(); d++) if ((daysOfMonth & (1L << d)) != 0) return true;
        }
        return false;
    }

    /** Whether the expression fires at the minute of {@code t} (seconds ignored). */
    public boolean matches(LocalDateTime t) {
        return (minutes & (1L << t.getMinute())) != 0 && (hours & (1L << t.getHour())) != 0 && day(t.toLocalDate());
    }

    private boolean day(LocalDate d) {
        if ((months & (1L << d.getMonthValue())) == 0) return false;
        boolean dom = (daysOfMonth & (1L << d.getDayOfMonth())) != 0;
        boolean dow = (daysOfWeek & (1L << (d.getDayOfWeek().getValue() % 7))) != 0;
        if (anyDayOfMonth || anyDayOfWeek) return dom && dow;
        return dom || dow;
    }

    /** The first minute strictly after {@code after} at which the expression fires, in its zone; null if none. */
    public ZonedDateTime next(ZonedDateTime after) {
        LocalDateTime start = after.toLocalDateTime().truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
        LocalDate day = start.toLocalDate();
        for (int n = 0; n < HORIZON_DAYS; n++, day = day.plusDays(1)) {
            if (!day(day)) continue;
            for (int h = 0; h < 24; h++) {
                if ((hours & (1L << h)) == 0) continue;
                for (int m = 0; m < 60; m++) {
                    if ((minutes & (1L << m)) == 0) continue;
                    LocalDateTime t = day.atTime(h, m);
                    if (!t.isBefore(start)) return t.atZone(after.getZone());
                }
            }
        }
        return null;
    }

    @Override public String toString() {
        return expression;
    }
}
