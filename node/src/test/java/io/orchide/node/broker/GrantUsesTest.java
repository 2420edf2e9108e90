package io.orchide.node.broker;

import io.orchide.model.DeviceGrantSpec.Verb;
import io.orchide.model.Manifests;
import io.orchide.node.audit.AuditTrail;
import io.orchide.node.device.DeviceTwin;
import io.orchide.node.device.DevicesFile;
import io.orchide.node.layout.NodeLayout;
import io.orchide.node.store.NodeDatabase;
import io.orchide.testkit.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A grant's use survives the agent: a broker over the same node.db, opened again (as after a restart), counts what the
 * grant allowed before against its quotas per orbit and per day, and keeps no more rows than its limits look at.
 */
class GrantUsesTest {
    private static final Instant START = Instant.parse("2026-06-21T12:00:00Z"); // in the orbit of 11:45 to 13:20 UTC (95 min from the epoch)
    private static final Duration ORBIT = Duration.ofMinutes(95);
    private static final Caller PROBE = new Caller("ocean-team", "app", "probe", 0);

    @TempDir
    Path dir;
    private final MutableClock clock = new MutableClock(START);

    /** An agent's broker over the node.db in {@code dir}, as NodeAgent builds it. */
    private record Agent(NodeDatabase db, GrantStore grants, Broker broker) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            db.close();
        }
    }

    private Agent start() throws Exception {
        return start(false);
    }

    /** {@code journalled}: the broker's allowed requests written ahead through node.db's journal, as in the agent. */
    private Agent start(boolean journalled) throws Exception {
        NodeDatabase db = NodeDatabase.open(NodeLayout.of(dir));
        GrantStore grants = new GrantStore(db.writer(), clock);
        DeviceTwin twin = new DeviceTwin(DevicesFile.parse("""
                discover: false
                devices: [{name: camera-1, class: camera}]
                """), List.of());
        AuditTrail audit = journalled ? new AuditTrail(db.writer(), clock, db.journal()) : new AuditTrail(db.writer(), clock);
        GrantUses uses = journalled ? new GrantUses(db.writer(), db.journal()) : new GrantUses(db.writer());
        db.journal().start();
        return new Agent(db, grants, new Broker(twin, grants::forDevice, new Leases(clock, Duration.ofMinutes(5)), clock, null,
                ORBIT, audit::recordDecision, uses));
    }

    private void grant(Agent a, String quota) throws Exception {
        a.grants().apply(Manifests.parseDeviceGrant("""
                apiVersion: orchide.io/v1
                kind: DeviceGrant
                metadata: {name: ocean-camera, tenant: ocean-team}
                spec: {device: camera-1, apps: [probe], verbs: [read], quota: %s}
                """.formatted(quota)));
    }

    @Test
    void aRestartDoesNotGiveTheOrbitsQuotaBack() throws Exception {
        try (Agent a = start()) {
            grant(a, "{perOrbit: 3}");
            for (int i = 0; i < 3; i++) {
                assertThat(a.broker().decide(PROBE, "camera-1", Verb.READ).allowed()).isTrue();
                clock.advance(Duration.ofMinutes(1));
            }
        }
        try (Agent again = start()) {
            assertThat(again.broker().usage("ocean-camera")).isEqualTo(new Broker.Usage(3, 3));
            Decision d = again.broker().decide(PROBE, "camera-1", Verb.READ);
            assertThat(d.code()).isEqualTo(Decision.QUOTA_EXCEEDED);
            assertThat(d.reason()).contains("3 per orbit, used 3 this orbit");

            clock.set(Instant.parse("2026-06-21T13:20:00Z")); // the next orbit
            assertThat(again.broker().decide(PROBE, "camera-1", Verb.READ).allowed()).isTrue();
        }
    }

    @Test
    void aRestartDoesNotGiveTheDaysQuotaBackAndTheStoreKeepsOnlyWhatTheLimitsLookAt() throws Exception {
        try (Agent a = start()) {
            grant(a, "{perDay: 2}");
            assertThat(a.broker().decide(PROBE, "camera-1", Verb.READ).allowed()).isTrue();
        }
        clock.advance(Duration.ofHours(3));
        try (Agent a = start()) {
            assertThat(a.broker().decide(PROBE, "camera-1", Verb.READ).allowed()).isTrue();
        }
        clock.advance(Duration.ofHours(3));
        try (Agent a = start()) {
            Decision d = a.broker().decide(PROBE, "camera-1", Verb.READ);
            assertThat(d.code()).isEqualTo(Decision.QUOTA_EXCEEDED);
            assertThat(d.reason()).contains("2 per day (UTC), used 2 on 2026-06-21");
            clock.set(Instant.parse("2026-06-22T00:00:01Z"));
            for (int i = 0; i < 2; i++) assertThat(a.broker().decide(PROBE, "camera-1", Verb.READ).allowed()).isTrue();
            assertThat(rows(a)).as("bounded: no more rows than the largest limit").isEqualTo(2);
        }
    }

    @Test
    void journalledCountsAndRecordsAreInNodeDbAndCountAfterARestart() throws Exception {
        try (Agent a = start(true)) {
            grant(a, "{perOrbit: 2}");
            for (int i = 0; i < 2; i++) assertThat(a.broker().decide(PROBE, "camera-1", Verb.READ).allowed()).isTrue();
            a.db().journal().flush();
            assertThat(rows(a)).isEqualTo(2);
            try (ResultSet rs = a.db().writer().connection().createStatement()
                    .executeQuery("SELECT COUNT(*) FROM audit_record WHERE verb = 'read' AND outcome = 'allowed'")) {
                assertThat(rs.getLong(1)).isEqualTo(2);
            }
        }
        try (Agent again = start(true)) {
            assertThat(again.broker().decide(PROBE, "camera-1", Verb.READ).code()).isEqualTo(Decision.QUOTA_EXCEEDED);
        }
    }

    private static long rows(Agent a) throws Exception {
        synchronized (a.db().writer().lock()) {
            try (ResultSet rs = a.db().writer().connection().createStatement()
                    .executeQuery("SELECT COUNT(*) FROM grant_use WHERE grant_name = 'ocean-camera'")) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
