package io.orchide.ground.device;

import io.orchide.ground.Fixtures;
import io.orchide.ground.intake.Intake;
import io.orchide.ground.product.Products;
import io.orchide.ground.report.Reports;
import io.orchide.ground.store.GroundDatabase;
import io.orchide.model.message.BundleKind;
import io.orchide.model.message.StatusReport;
import io.orchide.testkit.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A node's device inventory, as its reports carry it, is what ground shows of the satellite's devices. */
class ReportedDevicesTest {
    @TempDir
    Path dir;

    private static StatusReport report(Instant at, List<StatusReport.Device> devices) {
        return new StatusReport(at, "n1", List.of(), List.of(), List.of(), List.of(), List.of(), null, devices);
    }

    @Test
    void aReportWithTheInventoryReplacesItAndOneWithoutLeavesIt() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
        try (GroundDatabase db = GroundDatabase.sqlite(dir, clock)) {
            Reports reports = new Reports(db, 10, 10);
            Intake intake = new Intake(db, reports, new Products(db), clock);
            StatusReport.Device camera = new StatusReport.Device("camera-1", "camera", "ready",
                    "ocean-team/pipeline/ship-detect", Map.of("gain", "8"), Map.of("gain", "2", "present", "true"));
            StatusReport.Device gnss = new StatusReport.Device("gnss-1", "gnss", "missing", null, Map.of(), Map.of());
            deliver(intake, "r1", report(clock.instant(), List.of(camera, gnss)), clock.instant());
            assertThat(reports.devices("sat-1")).extracting(d -> d.device()).containsExactly(camera, gnss);

            clock.advance(Duration.ofMinutes(1));
            deliver(intake, "r2", report(clock.instant(), null), clock.instant());
            assertThat(reports.devices("sat-1")).hasSize(2);

            clock.advance(Duration.ofMinutes(1));
            deliver(intake, "r3", report(clock.instant(), List.of(gnss)), clock.instant());
            assertThat(reports.devices("sat-1")).extracting(d -> d.device().name()).containsExactly("gnss-1");
            assertThat(reports.devices("sat-2")).isEmpty();
        }
    }

    private static void deliver(Intake intake, String id, StatusReport r, Instant at) throws Exception {
        byte[] b = r.encode();
        assertThat(StatusReport.decode(b)).isEqualTo(r);
        intake.deliver(Fixtures.bundle(id, "sat-1", BundleKind.REPORT.wire(), b, at), b);
    }
}
