package io.orchide.ground.series;

import io.orchide.ground.desired.Outbox;
import io.orchide.ground.store.GroundDatabase;
import io.orchide.ground.store.Sql;
import io.orchide.model.codec.Sizes;
import io.orchide.model.message.BundleKind;
import io.orchide.model.message.TelemetryBudget;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Each satellite's housekeeping settings as its operator set them ({@code telemetry_budget}): the budget of bytes a day
 * and the width of one housekeeping interval, each 0 until set (the nodes' own then); a change of either goes to the
 * satellite, with the other as it stands, as a {@link BundleKind#TELEMETRY_BUDGET} bundle with the next version, in the
 * same transaction.
 */
public final class TelemetryBudgets {
    /** How a budget is written: a size a day, {@code 2Mi/d}, {@code 500k/d}, or a size alone. */
    public static final String SYNTAX = "a size a day such as 2Mi/d or 500k/d (at least " + TelemetryBudget.MIN_BYTES_PER_DAY + " bytes)";

    /** How an interval is written: whole seconds from 1 s to a day. */
    public static final String INTERVAL_SYNTAX = "a duration of whole seconds from 1s to 1d, such as 30s, 1m or 5m";

    /** The column the housekeeping interval lives in (migration 13). */
    public static final String MIGRATION = "ALTER TABLE telemetry_budget ADD COLUMN interval_s BIGINT NOT NULL DEFAULT 0";

    /** A satellite's settings: bytes a day and interval seconds (0: not set), their version, when they were set. */
    public record Budget(String satellite, long bytesPerDay, int version, Instant setAt, long intervalSeconds) {
    }

    private final GroundDatabase db;
    private final Outbox outbox;
    private final Clock clock;

    public TelemetryBudgets(GroundDatabase db, Outbox outbox, Clock clock) {
        this.db = db;
        this.outbox = outbox;
        this.clock = clock;
    }

    /**
     * The bytes a day {@code text} says.
     *
     * @throws IllegalArgumentException naming the text when it is not a size a day of at least the least budget
     */
    public static long parse(String text) {
        String s = text == null ? "" : text.strip();
        if (s.endsWith("/day")) s = s.substring(0, s.length() - 4);
        else if (s.endsWith("/d")) s = s.substring(0, s.length() - 2);
        long v;
        try {
            v = Sizes.parse(s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("expected " + SYNTAX + " (got " + text + ")");
        }
        if (v < TelemetryBudget.MIN_BYTES_PER_DAY) throw new IllegalArgumentException("expected " + SYNTAX + " (got " + text + ")");
        return v;
    }

    /**
     * The seconds of the interval {@code text} says.
     *
     * @throws IllegalArgumentException naming the text when it is not whole seconds from 1 s to a day
     */
    public static long parseInterval(String text) {
        try {
            java.time.Duration d = io.orchide.model.codec.Durations.parse(text == null ? "" : text.strip());
            if (d.getNano() == 0 && d.getSeconds() >= 1 && d.getSeconds() <= TelemetryBudget.MAX_INTERVAL_SECONDS) {
                return d.getSeconds();
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new IllegalArgumentException("expected " + INTERVAL_SYNTAX + " (got " + text + ")");
    }

    /** Sets {@code satellite}'s budget and queues it for the satellite; returns it with its new version. */
    public Budget set(String satellite, long bytesPerDay) {
        return change(satellite, bytesPerDay, null);
    }

    /** Sets {@code satellite}'s housekeeping interval and queues it for the satellite; returns the settings. */
    public Budget setInterval(String satellite, long intervalSeconds) {
        return change(satellite, null, intervalSeconds);
    }

    private Budget change(String satellite, Long newBytes, Long newInterval) {
        Instant now = clock.instant();
        Budget b = db.tx(c -> {
            int version = 0;
            long bytesPerDay = 0, interval = 0;
            try (PreparedStatement ps = c.prepareStatement("SELECT version, bytes_per_day, interval_s FROM telemetry_budget WHERE satellite = ?")) {
                Sql.bind(ps, satellite);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        version = rs.getInt(1);
                        bytesPerDay = rs.getLong(2);
                        interval = rs.getLong(3);
                    }
                }
            }
            if (newBytes != null) bytesPerDay = newBytes;
            if (newInterval != null) interval = newInterval;
            int next = version + 1;
            if (version == 0) {
                Sql.update(c, "INSERT INTO telemetry_budget (satellite, bytes_per_day, version, set_at, interval_s) VALUES (?, ?, ?, ?, ?)",
                        satellite, bytesPerDay, next, now, interval);
            } else {
                Sql.update(c, "UPDATE telemetry_budget SET bytes_per_day = ?, interval_s = ?, version = ?, set_at = ? WHERE satellite = ? AND version = ?",
                        bytesPerDay, interval, next, now, satellite, version);
            }
            Outbox.add(c, bundleId(satellite, next), satellite, BundleKind.TELEMETRY_BUDGET.wire(),
                    BundleKind.TELEMETRY_BUDGET.priority(), BundleKind.TELEMETRY_BUDGET.lifetime(),
                    new TelemetryBudget(bytesPerDay, next, interval).encode(), now);
            return new Budget(satellite, bytesPerDay, next, now, interval);
        });
        outbox.send(List.of(bundleId(satellite, b.version())));
        return b;
    }

    public Optional<Budget> get(String satellite) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT bytes_per_day, version, set_at, interval_s FROM telemetry_budget WHERE satellite = ?")) {
                Sql.bind(ps, satellite);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) return Optional.<Budget>empty();
                    return Optional.of(new Budget(satellite, rs.getLong(1), rs.getInt(2), Instant.ofEpochMilli(rs.getLong(3)),
                            rs.getLong(4)));
                }
            }
        });
    }

    static String bundleId(String satellite, int version) {
        return "telemetry-budget." + satellite + "." + version;
    }
}
