package io.orchide.node.audit;

import io.orchide.model.message.StatusReport;
import io.orchide.node.store.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The node's audit of desired state: what is recorded stays until a report has taken it, across the agent's restart;
 * sequence numbers only increase; the trail is bounded, the records ground already has going first.
 */
class AuditTrailTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path tmp;

    static AuditTrail.Change refused(String name) {
        return new AuditTrail.Change(AuditTrail.LOCAL, AuditTrail.APPLY, "App", name, "ocean", null,
                StatusReport.Audit.REFUSED, "over quota");
    }

    static List<String> names(List<StatusReport.Audit> l) {
        return l.stream().map(StatusReport.Audit::name).toList();
    }

    @Test
    void recordsNotReportedSurviveARestartAndLeaveOnceReported() throws Exception {
        try (Database db = Database.open(tmp.resolve("node.db"))) {
            AuditTrail t = new AuditTrail(db, CLOCK);
            t.record(refused("a"));
            t.record(new AuditTrail.Change(AuditTrail.GROUND, AuditTrail.APPLY, "App", "b", "ocean", 3,
                    StatusReport.Audit.APPLIED, "created"));
        }
        try (Database db = Database.open(tmp.resolve("node.db"))) {
            AuditTrail t = new AuditTrail(db, CLOCK);
            List<StatusReport.Audit> left = t.unreported(10);
            assertThat(left).hasSize(2);
            assertThat(left.get(1)).isEqualTo(new StatusReport.Audit(left.get(1).seq(), CLOCK.instant(), "ground",
                    "apply", "App", "b", "ocean", 3, "applied", "created"));
            assertThat(left.get(1).seq()).isGreaterThan(left.get(0).seq());

            t.reported(left.get(0).seq());
            assertThat(names(t.unreported(10))).containsExactly("b");
            t.reported(left.get(1).seq());
            assertThat(t.unreported(10)).isEmpty();
            assertThat(names(t.recent(10))).containsExactly("b", "a");
        }
    }

    @Test
    void theEpochIsKeptWithTheDatabaseAndANewDatabaseHasAnother() throws Exception {
        String first;
        try (Database db = Database.open(tmp.resolve("node.db"))) {
            first = new AuditTrail(db, CLOCK).epoch();
        }
        try (Database db = Database.open(tmp.resolve("node.db"))) {
            assertThat(new AuditTrail(db, CLOCK).epoch()).isEqualTo(first);
        }
        try (Database db = Database.open(tmp.resolve("other/node.db"))) {
            assertThat(new AuditTrail(db, CLOCK).epoch()).isNotEqualTo(first).hasSize(32);
        }
    }

    @Test
    void pastItsBoundTheOldestReportedGoFirstThenTheOldestNotReportedAndNumbersAreNeverReused() throws Exception {
        try (Database db = Database.open(tmp.resolve("node.db"))) {
            AuditTrail t = new AuditTrail(db, CLOCK, 3);
            t.record(refused("a"));
            t.record(refused("b"));
            t.reported(t.unreported(10).getLast().seq());
            t.record(refused("c"));
            t.record(refused("d"));
            assertThat(names(t.recent(10))).containsExactly("d", "c", "b");
            t.record(refused("e"));
            t.record(refused("f"));
            assertThat(names(t.recent(10))).containsExactly("f", "e", "d");
            assertThat(names(t.unreported(10))).containsExactly("d", "e", "f");
            long last = t.recent(1).getFirst().seq();
            assertThat(last).isEqualTo(6);
        }
    }

    @Test
    void anAllowedBrokerDecisionIsJournalledARefusalStoredAndBothReadInTheirOrder() throws Exception {
        io.orchide.node.layout.NodeLayout layout = io.orchide.node.layout.NodeLayout.of(tmp);
        try (io.orchide.node.store.NodeDatabase db = io.orchide.node.store.NodeDatabase.open(layout)) {
            AuditTrail t = new AuditTrail(db.writer(), CLOCK, db.journal());
            db.journal().start();
            t.recordDecision(new AuditTrail.Change("broker", "capture", "Device", "camera-1", "ocean", null,
                    StatusReport.Audit.ALLOWED, "app a: under grant g"));
            t.recordDecision(new AuditTrail.Change("broker", "capture", "Device", "camera-1", "ocean", null,
                    StatusReport.Audit.REFUSED, "app a: no grant"));
            assertThat(t.recent(10)).extracting(StatusReport.Audit::outcome)
                    .containsExactly(StatusReport.Audit.REFUSED, StatusReport.Audit.ALLOWED);
            assertThat(t.recent(10).getLast().at()).isEqualTo(CLOCK.instant());
        }
    }

    @Test
    void theBoundHoldsWhenRecordsWereDeletedBehindTheTrailsBack() throws Exception {
        try (Database db = Database.open(tmp.resolve("node.db"))) {
            AuditTrail t = new AuditTrail(db, CLOCK, 3);
            for (String n : List.of("a", "b", "c", "d")) t.record(refused(n));
            assertThat(names(t.recent(10))).containsExactly("d", "c", "b");
            try (var st = db.connection().createStatement()) {
                st.executeUpdate("DELETE FROM audit_record");
            }
            // the trail counted 3 kept: it must count again, not drop the new ones as if over its bound
            for (String n : List.of("e", "f")) t.record(refused(n));
            assertThat(names(t.recent(10))).containsExactly("f", "e");
            t.record(refused("g"));
            t.record(refused("h"));
            assertThat(names(t.recent(10))).containsExactly("h", "g", "f");
        }
    }
}
