package io.orchide.ground.telemetry;

import io.orchide.ground.audit.AuditLog;
import io.orchide.ground.audit.AuditWriter;
import io.orchide.ground.auth.Decision;
import io.orchide.ground.auth.DecisionListener;
import io.orchide.ground.auth.Resource;
import io.orchide.ground.fleet.Fleet;
import io.orchide.ground.link.Uplink;
import io.orchide.ground.store.GroundDatabase;
import io.orchide.link.LinkStats;
import io.orchide.web.ApiServer;
import io.orchide.web.telemetry.Counter;
import io.orchide.web.telemetry.MetricFamily;
import io.orchide.web.telemetry.ProcessMetrics;
import io.orchide.web.telemetry.Registry;

import java.util.List;
import java.util.function.Supplier;

/**
 * One ground replica's metrics, served at {@code /metrics} to callers allowed {@code get} on {@code metrics}: API
 * requests by route class, method and status; access decisions by outcome and resource; link sessions begun, the
 * satellites connected now and the link's bytes and bundles by direction; the satellites known; whether the database
 * answers; the audit log's entries (all replicas') and this replica's queue of entries waiting for the database; and
 * the process's CPU time and memory. What needs the database is left out of a scrape while it is away, and
 * {@code orchide_ground_database_up} says so.
 */
public final class GroundMetrics {
    private final Registry registry = new Registry();
    private final Counter requests = registry.counter("orchide_ground_api_requests_total",
            "API requests answered, by route class, method and status code.", "route", "method", "code");
    private final Counter decisions = registry.counter("orchide_ground_auth_decisions_total",
            "Access decisions by outcome (allowed, denied, unauthenticated) and resource (none when unauthenticated).",
            "outcome", "resource");
    private final Counter sessions = registry.counter("orchide_ground_link_sessions_total",
            "Link sessions begun with satellites since this replica started.");

    /**
     * {@code uplink}: asked at each scrape, as ground sets its link up once the database answers; {@code writer}: null
     * on a ground with the access check bypassed.
     */
    public GroundMetrics(GroundDatabase db, Fleet fleet, Supplier<Uplink> uplink, AuditLog audit, AuditWriter writer) {
        registry.register(() -> List.of(MetricFamily.gauge("orchide_ground_database_up",
                "1 while ground's database answers, 0 while it is away.").add(db.health().state().available() ? 1 : 0).build()));
        registry.register(() -> link(uplink.get()));
        registry.register(() -> List.of(MetricFamily.gauge("orchide_ground_satellites", "Satellites ground knows.")
                .add(fleet.list(false).size()).build()));
        if (writer != null) {
            registry.register(() -> List.of(
                    MetricFamily.gauge("orchide_ground_audit_queued_entries",
                            "Audit entries this replica holds until the database takes them.").add(writer.queued()).build(),
                    MetricFamily.counter("orchide_ground_audit_dropped_entries_total",
                            "Audit entries this replica dropped: its queue overflowed while the database was away.")
                            .add(writer.dropped()).build()));
        }
        registry.register(() -> List.of(MetricFamily.counter("orchide_ground_audit_entries_total",
                "Entries appended to the audit log by every replica (the last entry's sequence number).")
                .add(audit.head().seq()).build()));
        registry.register(new ProcessMetrics());
    }

    public Registry registry() { return registry; }

    /** Counts each request answered by the API server. */
    public ApiServer.Observer requests() {
        return (ex, status) -> requests.inc(RouteClass.of(ex.getRequestURI().getPath()),
                RouteClass.method(ex.getRequestMethod()), status < 0 ? "none" : Integer.toString(status));
    }

    /** {@code next}, counting each decision before it is told. */
    public DecisionListener decisions(DecisionListener next) {
        return d -> {
            Resource r = d.outcome() == Decision.Outcome.UNAUTHENTICATED ? null : Resource.of(d.resource());
            decisions.inc(d.outcome().wire(), r == null ? "none" : r.wire());
            next.decided(d);
        };
    }

    /** A link session with a satellite began. */
    public void sessionBegun() {
        sessions.inc();
    }

    private static List<MetricFamily> link(Uplink uplink) {
        if (uplink == null) return List.of();
        long connected = 0, bytesOut = 0, bytesIn = 0, bundlesOut = 0, bundlesIn = 0, queued = 0, queuedBytes = 0;
        List<LinkStats> peers = uplink.peers();
        for (LinkStats s : peers) {
            if (s.connected()) connected++;
            bytesOut += s.bytesSent();
            bytesIn += s.bytesReceived();
            bundlesOut += s.bundlesSent();
            bundlesIn += s.bundlesReceived();
            queued += s.queuedBundles();
            queuedBytes += s.queuedBytes();
        }
        return List.of(
                MetricFamily.gauge("orchide_ground_satellites_in_contact", "Satellites with a link session up on this replica.")
                        .add(connected).build(),
                MetricFamily.counter("orchide_ground_link_bytes_total",
                        "Bytes this replica's link sent to and received from satellites on the wire, by direction.", "direction")
                        .add(bytesOut, "out").add(bytesIn, "in").build(),
                MetricFamily.counter("orchide_ground_link_bundles_total",
                        "Bundles satellites took into custody from this replica (out) and it took whole from them (in).", "direction")
                        .add(bundlesOut, "out").add(bundlesIn, "in").build(),
                MetricFamily.gauge("orchide_ground_link_backlog_bundles", "Bundles queued towards satellites, not yet in their custody.")
                        .add(queued).build(),
                MetricFamily.gauge("orchide_ground_link_backlog_bytes", "Payload bytes of the bundles queued towards satellites.")
                        .add(queuedBytes).build());
    }
}
