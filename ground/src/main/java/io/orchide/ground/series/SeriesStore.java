package io.orchide.ground.series;

import io.orchide.ground.store.GroundDatabase;
import io.orchide.ground.store.Sql;
import io.orchide.model.message.Housekeeping;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The series satellites' housekeeping brings down, kept in ground's database: each node's dictionary per epoch
 * ({@code hk_series}), one row per series and interval ({@code hk_sample}: min, max, mean, last at the interval's
 * start, with its width), the gaps in which nothing was measured ({@code hk_gap}) and the log summaries
 * ({@code hk_log}). Samples, gaps and log summaries older than the retention are deleted by {@link #retain}.
 */
public final class SeriesStore {
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(30);

    /** The tables, as one entry of ground's migrations. */
    public static final String MIGRATION = """
            CREATE TABLE hk_series (
              satellite VARCHAR(63) NOT NULL,
              node VARCHAR(63) NOT NULL,
              epoch VARCHAR(64) NOT NULL,
              idx INTEGER NOT NULL,
              metric VARCHAR(1024) NOT NULL,
              kind SMALLINT NOT NULL,
              PRIMARY KEY (satellite, node, epoch, idx)
            );
            CREATE TABLE hk_sample (
              satellite VARCHAR(63) NOT NULL,
              node VARCHAR(63) NOT NULL,
              metric VARCHAR(1024) NOT NULL,
              t BIGINT NOT NULL,
              width_s BIGINT NOT NULL,
              kind SMALLINT NOT NULL,
              min_v DOUBLE PRECISION NOT NULL,
              max_v DOUBLE PRECISION NOT NULL,
              mean_v DOUBLE PRECISION NOT NULL,
              last_v DOUBLE PRECISION NOT NULL,
              PRIMARY KEY (satellite, metric, node, t)
            );
            CREATE INDEX hk_sample_t ON hk_sample (t);
            CREATE TABLE hk_gap (
              satellite VARCHAR(63) NOT NULL,
              node VARCHAR(63) NOT NULL,
              from_t BIGINT NOT NULL,
              to_t BIGINT NOT NULL,
              PRIMARY KEY (satellite, node, from_t)
            );
            CREATE TABLE hk_log (
              id ${id},
              satellite VARCHAR(63) NOT NULL,
              node VARCHAR(63) NOT NULL,
              subject VARCHAR(255) NOT NULL,
              received_at BIGINT NOT NULL,
              lines BIGINT NOT NULL,
              error_lines BIGINT NOT NULL,
              errors TEXT NOT NULL,
              first_line TEXT,
              last_line TEXT
            );
            CREATE INDEX hk_log_sat ON hk_log (satellite, received_at);
            CREATE TABLE telemetry_budget (
              satellite VARCHAR(63) PRIMARY KEY,
              bytes_per_day BIGINT NOT NULL,
              version INTEGER NOT NULL,
              set_at BIGINT NOT NULL
            )
            """;

    /** One point of a series: the summary of the interval starting at {@code t}. */
    public record Point(Instant t, double min, double max, double mean, double last) {
    }

    /** A span in which nothing was measured. */
    public record Gap(Instant from, Instant to) {
    }

    /** The latest point of one series, for ground's {@code /metrics}: {@code t} is the end of its interval. */
    public record Latest(String satellite, String node, String metric, Housekeeping.Kind kind, Instant t, double last) {
    }

    private final GroundDatabase db;

    public SeriesStore(GroundDatabase db) {
        this.db = db;
    }

    /**
     * Stores one housekeeping bundle's content in the caller's transaction. A series index the node named in an
     * earlier bundle of the same epoch is looked up; one never named is refused with the index and epoch.
     */
    public void store(Connection c, String satellite, Housekeeping h, Instant now) throws SQLException {
        for (Housekeeping.Series s : h.series()) {
            Sql.update(c, "INSERT INTO hk_series (satellite, node, epoch, idx, metric, kind) VALUES (?, ?, ?, ?, ?, ?) "
                    + "ON CONFLICT (satellite, node, epoch, idx) DO NOTHING", satellite, h.node(), h.epoch(), s.index(),
                    s.key(), s.kind().ordinal());
        }
        Map<Integer, String> names = new HashMap<>();
        Map<Integer, Housekeeping.Kind> kinds = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT idx, metric, kind FROM hk_series WHERE satellite = ? AND node = ? AND epoch = ?")) {
            Sql.bind(ps, satellite, h.node(), h.epoch());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    names.put(rs.getInt(1), rs.getString(2));
                    kinds.put(rs.getInt(1), Housekeeping.Kind.values()[rs.getInt(3)]);
                }
            }
        }
        long seconds = h.interval().toSeconds();
        for (Housekeeping.Interval i : h.intervals()) {
            for (var e : i.cells().entrySet()) {
                String metric = names.get(e.getKey());
                if (metric == null) {
                    throw new UnknownSeries(satellite, h.node(), h.epoch(), e.getKey());
                }
                Housekeeping.Cell cell = e.getValue();
                Sql.update(c, "INSERT INTO hk_sample (satellite, node, metric, t, width_s, kind, min_v, max_v, mean_v, last_v) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (satellite, metric, node, t) DO NOTHING",
                        satellite, h.node(), metric, i.start(), seconds * i.width(), kinds.get(e.getKey()).ordinal(),
                        cell.min(), cell.max(), cell.mean(), cell.last());
            }
        }
        for (Housekeeping.Gap g : h.gaps()) {
            Sql.update(c, "INSERT INTO hk_gap (satellite, node, from_t, to_t) VALUES (?, ?, ?, ?) "
                    + "ON CONFLICT (satellite, node, from_t) DO UPDATE SET to_t = excluded.to_t", satellite, h.node(), g.from(), g.to());
        }
        for (Housekeeping.LogSummary l : h.logs()) {
            Sql.update(c, "INSERT INTO hk_log (satellite, node, subject, received_at, lines, error_lines, errors, first_line, last_line) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", satellite, h.node(), l.subject(), now, l.lines(), l.errorLines(),
                    String.join("\n", l.errors()), l.first(), l.last());
        }
    }

    /** A series index no bundle of the epoch named. */
    public static final class UnknownSeries extends SQLException {
        public UnknownSeries(String satellite, String node, String epoch, int index) {
            super("housekeeping of " + satellite + "/" + node + " refers to series " + index + " of epoch " + epoch
                    + ", which no bundle named");
        }
    }

    /** The series names a satellite's housekeeping brought, sorted. */
    public List<String> metrics(String satellite) {
        return db.read(c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT metric FROM hk_series WHERE satellite = ? ORDER BY metric")) {
                Sql.bind(ps, satellite);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(rs.getString(1));
                }
            }
            return out;
        });
    }

    /** The points of {@code metric} on {@code satellite} whose interval starts in [from, to), oldest first. */
    public List<Point> points(String satellite, String metric, Instant from, Instant to) {
        return db.read(c -> {
            List<Point> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT t, min_v, max_v, mean_v, last_v FROM hk_sample "
                    + "WHERE satellite = ? AND metric = ? AND t >= ? AND t < ? ORDER BY t, node")) {
                Sql.bind(ps, satellite, metric, from, to);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Point(Instant.ofEpochMilli(rs.getLong(1)), rs.getDouble(2), rs.getDouble(3),
                                rs.getDouble(4), rs.getDouble(5)));
                    }
                }
            }
            return out;
        });
    }

    /** The gaps of {@code satellite} that overlap [from, to), oldest first. */
    public List<Gap> gaps(String satellite, Instant from, Instant to) {
        return db.read(c -> {
            List<Gap> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT from_t, to_t FROM hk_gap WHERE satellite = ? "
                    + "AND to_t > ? AND from_t < ? ORDER BY from_t")) {
                Sql.bind(ps, satellite, from, to);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(new Gap(Instant.ofEpochMilli(rs.getLong(1)), Instant.ofEpochMilli(rs.getLong(2))));
                }
            }
            return out;
        });
    }

    /**
     * A log summary housekeeping brought: {@code subject} is {@code workload/NAME} or {@code run/RUN/STEP[.ITEM]};
     * {@code errors} the error lines kept (the node keeps the first few), {@code first} and {@code last} the console's
     * first and last line in the span summarised.
     */
    public record LogSummary(String node, String subject, Instant receivedAt, long lines, long errorLines,
                             List<String> errors, String first, String last) {
    }

    /** The newest {@code limit} log summaries of {@code satellite}, newest first. */
    public List<LogSummary> logSummaries(String satellite, int limit) {
        return db.read(c -> {
            List<LogSummary> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT node, subject, received_at, lines, error_lines, errors, "
                    + "first_line, last_line FROM hk_log WHERE satellite = ? ORDER BY received_at DESC, id DESC LIMIT ?")) {
                Sql.bind(ps, satellite, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String errors = rs.getString(6);
                        out.add(new LogSummary(rs.getString(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3)),
                                rs.getLong(4), rs.getLong(5), errors.isEmpty() ? List.of() : List.of(errors.split("\n", -1)),
                                rs.getString(7), rs.getString(8)));
                    }
                }
            }
            return out;
        });
    }

    /** The latest point of every series of every satellite. */
    public List<Latest> latest() {
        return db.read(c -> {
            List<Latest> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT s.satellite, s.node, s.metric, s.kind, s.t + s.width_s * 1000, s.last_v "
                    + "FROM hk_sample s JOIN (SELECT satellite, node, metric, MAX(t) AS t FROM hk_sample "
                    + "GROUP BY satellite, node, metric) m ON s.satellite = m.satellite AND s.node = m.node "
                    + "AND s.metric = m.metric AND s.t = m.t ORDER BY s.metric, s.satellite, s.node");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Latest(rs.getString(1), rs.getString(2), rs.getString(3),
                            Housekeeping.Kind.values()[rs.getInt(4)], Instant.ofEpochMilli(rs.getLong(5)), rs.getDouble(6)));
                }
            }
            return out;
        });
    }

    /** Deletes samples, gaps and log summaries older than {@code cutoff}; returns the samples deleted. */
    public int retain(Instant cutoff) {
        return db.tx(c -> {
            int n = Sql.update(c, "DELETE FROM hk_sample WHERE t < ?", cutoff);
            Sql.update(c, "DELETE FROM hk_gap WHERE to_t < ?", cutoff);
            Sql.update(c, "DELETE FROM hk_log WHERE received_at < ?", cutoff);
            return n;
        });
    }
}
