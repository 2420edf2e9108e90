package io.orchide.ground.device;

import io.orchide.ground.Fixtures;
import io.orchide.ground.intake.Intake;
import io.orchide.ground.product.Products;
import io.orchide.ground.report.Reports;
import io.orchide.ground.store.GroundDatabase;
import io.orchide.model.message.BundleKind;
import io.orchide.model.message.StatusReport;
import io.orchide.testkit.MutableClock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Where a node said it was, as its reports carry it, is what ground shows of the satellite's position. */
class ReportedPositionsTest {
    @TempDir
    Path dir;

    private static StatusReport report(String node, Instant at, StatusReport.Position position) {
        return new StatusReport(at, node, List.of(), List.of(), List.of(), List.of(), List.of(), null, null, position);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void theNewestReportedPositionOrWhyThereIsNoneIsKeptPerNode(String backend) throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
        try (GroundDatabase db = backend.equals("sqlite") ? GroundDatabase.sqlite(dir, clock)
                : GroundDatabase.postgres(io.orchide.testkit.TestPostgres.newDatabase(), 2, clock)) {
            Reports reports = new Reports(db, 10, 10);
            Intake intake = new Intake(db, reports, new Products(db), clock);
            Instant first = clock.instant();
            StatusReport.Position munich = new StatusReport.Position("gnss gnss-1, then tle SAT-1 (epoch 26330.5)",
                    new StatusReport.Position.Fix("gnss gnss-1", first.minusSeconds(2), 48.1173, 11.516667, 545.4), null);
            deliver(intake, "r1", report("n1", first, munich), clock.instant());
            assertThat(reports.positions("sat-1")).singleElement().satisfies(p -> {
                assertThat(p.node()).isEqualTo("n1");
                assertThat(p.position()).isEqualTo(munich);
                assertThat(p.reportedAt()).isEqualTo(first);
            });

            clock.advance(Duration.ofMinutes(5));
            StatusReport.Position lost = new StatusReport.Position("gnss gnss-1", null,
                    "gnss gnss-1: the receiver has given no fix yet (3 sentence(s) without a fix, 0 rejected)");
            deliver(intake, "r2", report("n1", clock.instant(), lost), clock.instant());
            // a report from an older node carries no position: it leaves the last one
            deliver(intake, "r3", report("n1", clock.instant(), null), clock.instant());
            // a report that was late in coming, older than the one stored, leaves it too
            deliver(intake, "r4", report("n1", first.plusSeconds(1), munich), clock.instant());
            StatusReport.Position none = new StatusReport.Position("none", null, "this node has no position source");
            deliver(intake, "r5", report("n2", clock.instant(), none), clock.instant());

            assertThat(reports.positions("sat-1")).extracting(ReportedPositions.NodePosition::node,
                    ReportedPositions.NodePosition::position).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("n1", lost), org.assertj.core.groups.Tuple.tuple("n2", none));
            assertThat(reports.positions("sat-2")).isEmpty();
        }
    }

    private static void deliver(Intake intake, String id, StatusReport r, Instant at) throws Exception {
        byte[] b = r.encode();
        intake.deliver(Fixtures.bundle(id, "sat-1", BundleKind.REPORT.wire(), b, at), b);
    }
}
