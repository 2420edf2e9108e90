package io.orchide.ground.store;

import io.orchide.testkit.TestPostgres;
import io.orchide.testkit.MutableClock;
import io.orchide.ground.FakeUplink;
import io.orchide.ground.Fixtures;
import io.orchide.ground.desired.ApplyOutcome;
import io.orchide.ground.desired.DesiredState;
import io.orchide.ground.desired.Outbox;
import io.orchide.ground.fleet.Fleet;
import io.orchide.ground.fleet.SatelliteRecord;
import io.orchide.ground.intake.Intake;
import io.orchide.ground.product.ProductRecord;
import io.orchide.ground.product.Products;
import io.orchide.ground.report.Reports;
import io.orchide.model.message.BundleKind;
import io.orchide.model.message.StatusReport;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** Migrations and round trips of every store, on SQLite and on PostgreSQL. */
class GroundDatabaseTest {
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @TempDir
    Path tmp;

    GroundDatabase open(String backend) throws Exception {
        return backend.equals("sqlite") ? GroundDatabase.sqlite(tmp) : GroundDatabase.postgres(TestPostgres.newDatabase(), 8);
    }

    String url(String backend) throws Exception {
        return backend.equals("sqlite") ? null : TestPostgres.newDatabase();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void migrationsRunOnceAndReopenCleanly(String backend) throws Exception {
        String url = url(backend);
        try (GroundDatabase db = GroundDatabase.open(tmp, url)) {
            assertThat(db.dialect()).isEqualTo(backend.equals("sqlite") ? Dialect.SQLITE : Dialect.POSTGRES);
            assertThat(db.schemaVersion()).isEqualTo(GroundDatabase.latestVersion());
        }
        try (GroundDatabase db = GroundDatabase.open(tmp, url)) {
            assertThat(db.schemaVersion()).isEqualTo(GroundDatabase.latestVersion());
            int rows = db.read(c -> {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM ground_schema")) {
                    rs.next();
                    return rs.getInt(1);
                }
            });
            assertThat(rows).isEqualTo(GroundDatabase.latestVersion());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void fleetDesiredReportAndProductRoundTrip(String backend) throws Exception {
        MutableClock clock = new MutableClock(T0);
        try (GroundDatabase db = open(backend)) {
            Fleet fleet = new Fleet(db, clock);
            assertThat(fleet.contact(Fixtures.contact("sat-1", "n1", T0))).isNull();
            clock.advance(Duration.ofMinutes(10));
            fleet.contact(Fixtures.contact("sat-1", "n1", clock.instant()));
            SatelliteRecord s = fleet.get("sat-1").orElseThrow();
            assertThat(s.lastContact()).isEqualTo(clock.instant());
            assertThat(s.downlinkBundles()).isEqualTo(3);
            assertThat(s.nodes()).singleElement().satisfies(n -> {
                assertThat(n.arch()).isEqualTo("x86_64");
                assertThat(n.monitors()).containsExactly("qemu", "runc");
                assertThat(n.devices()).isEqualTo("[\"camera\"]");
                assertThat(n.firstSeen()).isEqualTo(T0);
            });

            FakeUplink up = new FakeUplink(clock);
            Outbox outbox = new Outbox(db, up, clock);
            DesiredState desired = new DesiredState(db, outbox, clock);
            List<ApplyOutcome> r = desired.apply("sat-2", Fixtures.APP + "---\n" + Fixtures.PIPELINE);
            assertThat(r).extracting(ApplyOutcome::result).containsExactly("created", "created");
            assertThat(up.ids()).containsExactly("desired.sat-2.App.hello.1", "desired.sat-2.Pipeline.scan.1");
            assertThat(outbox.pending()).isEmpty();
            assertThat(desired.list("sat-2", false)).allMatch(d -> d.queued() && d.generation() == 1);

            Reports reports = new Reports(db, 3, 2);
            Products products = new Products(db);
            Intake intake = new Intake(db, reports, products, clock);
            for (int i = 0; i < 3; i++) {
                StatusReport rep = Fixtures.report("n1", clock.instant(), 4);
                byte[] b = rep.encode();
                intake.deliver(Fixtures.bundle("rep-" + i, "sat-1", BundleKind.REPORT.wire(), b, clock.instant()), b);
                clock.advance(Duration.ofSeconds(30));
            }
            assertThat(reports.workloads("sat-1")).hasSize(4);
            assertThat(reports.events("sat-1", 100)).hasSize(3);  // bounded at 3
            assertThat(reports.logs("sat-1", 100)).hasSize(2);    // bounded at 2
            assertThat(reports.runs("sat-1", 10)).singleElement().extracting(Reports.Run::state).isEqualTo("succeeded");

            byte[] content = new byte[(int) (2.5 * Products.CHUNK)];
            new Random(7).nextBytes(content);
            byte[] payload = Fixtures.product(41, "scan-1", content, T0).encode();
            intake.deliver(Fixtures.bundle("prod-41", "sat-1", BundleKind.PRODUCT.wire(), payload, T0), payload);
            ProductRecord p = products.list("sat-1", null, 10).getFirst();
            assertThat(p.nodeProductId()).isEqualTo(41);
            assertThat(p.size()).isEqualTo(content.length);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            products.copyContent(p.id(), out);
            assertThat(out.toByteArray()).isEqualTo(content);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void concurrentChangesGetDistinctConsecutiveGenerations(String backend) throws Exception {
        MutableClock clock = new MutableClock(T0);
        try (GroundDatabase db = open(backend)) {
            FakeUplink up = new FakeUplink(clock);
            DesiredState desired = new DesiredState(db, new Outbox(db, up, clock), clock);
            int n = 12;
            ExecutorService pool = Executors.newFixedThreadPool(6);
            List<Future<List<ApplyOutcome>>> fs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String text = Fixtures.APP.replace("memoryMiB: 32", "memoryMiB: " + (100 + i));
                fs.add(pool.submit((Callable<List<ApplyOutcome>>) () -> desired.apply("sat-1", text)));
            }
            List<Integer> gens = new ArrayList<>();
            for (var f : fs) gens.add(f.get().getFirst().generation());
            pool.shutdown();
            assertThat(gens).containsExactlyInAnyOrderElementsOf(java.util.stream.IntStream.rangeClosed(1, n).boxed().toList());
            assertThat(up.ids()).hasSize(n);
        }
    }
}
