package io.orchide.ground.series;

import io.orchide.ground.desired.Outbox;
import io.orchide.ground.store.GroundDatabase;
import io.orchide.ground.store.Sql;
import io.orchide.model.message.BundleKind;
import io.orchide.model.message.FullLog;
import io.orchide.model.message.LogRequest;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Requests for a workload's whole log ({@code full_log}): made on ground, sent up as a {@link BundleKind#LOG_REQUEST}
 * bundle in the same transaction, answered by the node's {@link FullLog} at its next pass.
 */
public final class FullLogRequests {
    /** The table, part of the housekeeping migration. */
    public static final String MIGRATION = """
            CREATE TABLE full_log (
              id ${id},
              satellite VARCHAR(63) NOT NULL,
              workload VARCHAR(255) NOT NULL,
              requested_at BIGINT NOT NULL,
              arrived_at BIGINT,
              log_text TEXT,
              problem TEXT
            );
            CREATE INDEX full_log_workload ON full_log (satellite, workload)
            """;

    /** One request and, once it came down, its answer. */
    public record Request(long id, String satellite, String workload, Instant requestedAt, Instant arrivedAt, String log,
                          String problem) {
        public boolean arrived() { return arrivedAt != null; }
    }

    private final GroundDatabase db;
    private final Outbox outbox;
    private final Clock clock;

    public FullLogRequests(GroundDatabase db, Outbox outbox, Clock clock) {
        this.db = db;
        this.outbox = outbox;
        this.clock = clock;
    }

    /** Asks {@code satellite} for {@code workload}'s whole log; returns the request. */
    public Request request(String satellite, String workload) {
        Instant now = clock.instant();
        long id = db.tx(c -> {
            long n;
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO full_log (satellite, workload, requested_at) VALUES (?, ?, ?) RETURNING id")) {
                Sql.bind(ps, satellite, workload, now);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    n = rs.getLong(1);
                }
            }
            Outbox.add(c, bundleId(satellite, n), satellite, BundleKind.LOG_REQUEST.wire(), BundleKind.LOG_REQUEST.priority(),
                    BundleKind.LOG_REQUEST.lifetime(), new LogRequest(workload, n).encode(), now);
            return n;
        });
        outbox.send(List.of(bundleId(satellite, id)));
        return new Request(id, satellite, workload, now, null, null, null);
    }

    /** The latest request for {@code workload} on {@code satellite}, answered or not. */
    public Optional<Request> latest(String satellite, String workload) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, requested_at, arrived_at, log_text, problem FROM full_log "
                    + "WHERE satellite = ? AND workload = ? ORDER BY id DESC LIMIT 1")) {
                Sql.bind(ps, satellite, workload);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) return Optional.<Request>empty();
                    return Optional.of(new Request(rs.getLong(1), satellite, workload, Sql.instant(rs, "requested_at"),
                            Sql.instant(rs, "arrived_at"), rs.getString(4), rs.getString(5)));
                }
            }
        });
    }

    /** Stores a node's answer in the caller's transaction; an answer to no request of that satellite changes nothing. */
    public static void store(Connection c, String satellite, FullLog answer, Instant now) throws SQLException {
        Sql.update(c, "UPDATE full_log SET arrived_at = ?, log_text = ?, problem = ? WHERE id = ? AND satellite = ? AND workload = ?",
                now, answer.log(), answer.problem(), answer.request(), satellite, answer.workload());
    }

    static String bundleId(String satellite, long id) {
        return "log-request." + satellite + "." + id;
    }
}
