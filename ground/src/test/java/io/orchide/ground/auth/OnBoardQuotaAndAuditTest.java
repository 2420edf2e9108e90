package io.orchide.ground.auth;

import io.orchide.ground.FakeUplink;
import io.orchide.ground.Fixtures;
import io.orchide.ground.GroundConfig;
import io.orchide.ground.GroundServer;
import io.orchide.ground.audit.AuditQuery;
import io.orchide.ground.audit.AuditRecord;
import io.orchide.ground.audit.Outcome;
import io.orchide.link.Outgoing;
import io.orchide.model.message.BundleKind;
import io.orchide.model.message.StatusReport;
import io.orchide.model.message.TenantQuota;
import io.orchide.testkit.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Ground's half of on-board quotas and audit: a tenant's cpu, memory and storage quota goes to a satellite with the
 * tenant's desired state, once per version; a node's audit records in its reports become entries of ground's
 * hash-chained audit log (actor the node, source the satellite), each once however often a report repeats them, with
 * a gap in the node's numbers recorded; a refusal from the node's local API is among the satellite's events.
 */
class OnBoardQuotaAndAuditTest {
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    static final String SAT = "/api/v1/satellites/sat-1";

    @TempDir
    Path tmp;
    GroundServer ground;
    FakeUplink uplink;
    Api admin;

    @BeforeEach
    void start() throws Exception {
        MutableClock clock = new MutableClock(T0);
        uplink = new FakeUplink(clock);
        Path tokenFile = tmp.resolve("admin.token");
        ground = GroundServer.start(GroundConfig.builder().dataDir(tmp).listen(new InetSocketAddress("127.0.0.1", 0)).clock(clock).build()
                .withAuth(new AuthSettings(tokenFile, false)), uplink);
        admin = new Api(ground.apiAddress().getPort(), Files.readString(tokenFile).strip());
        assertThat(admin.post("/api/v1/tenants", "{\"name\": \"ocean\", \"quota\": \"cpu=1500m,memory=1Gi,uplink=5Mi/d\"}")
                .status()).isEqualTo(201);
        assertThat(admin.post("/api/v1/tenants", "{\"name\": \"fire\"}").status()).isEqualTo(201);
    }

    @AfterEach
    void stop() {
        if (ground != null) ground.close();
    }

    static String app(String name, String tenant, int memoryMiB) {
        return "apiVersion: orchide.io/v1\nkind: App\nmetadata: {name: " + name + ", tenant: " + tenant
                + "}\nspec:\n  image: /opt/k.elf\n  runtime: {family: multiboot, monitor: qemu, arch: x86_64}\n"
                + "  resources: {vcpus: 1, memoryMiB: " + memoryMiB + "}\n";
    }

    List<String> quotaBundles() {
        return uplink.ids().stream().filter(id -> id.startsWith("quota.")).toList();
    }

    @Test
    void aTenantsQuotaGoesToTheSatelliteWithItsDesiredStateOncePerVersion() throws Exception {
        assertThat(admin.post(SAT + "/apply", app("a", "ocean", 32)).status()).isEqualTo(201);
        assertThat(quotaBundles()).containsExactly("quota.sat-1.ocean.1");
        Outgoing q = uplink.queued.get("quota.sat-1.ocean.1");
        assertThat(q.kind()).isEqualTo(BundleKind.QUOTA.wire());
        assertThat(q.priority()).isGreaterThan(BundleKind.DESIRED.priority());
        assertThat(TenantQuota.decode(q.payload())).isEqualTo(new TenantQuota("ocean", 1, 1500L, 1L << 30, null));

        // more of the tenant's changes, and a tenant without an on-board limit, send no quota
        assertThat(admin.post(SAT + "/apply", app("a", "ocean", 64)).status()).isEqualTo(200);
        assertThat(admin.post(SAT + "/apply", app("b", "fire", 64)).status()).isEqualTo(201);
        assertThat(ground.desired().quotaChanged("ocean")).isEmpty();
        assertThat(quotaBundles()).containsExactly("quota.sat-1.ocean.1");
        // another satellite is sent the quota with its first change of the tenant's
        assertThat(admin.post("/api/v1/satellites/sat-2/apply", app("c", "ocean", 32)).status()).isEqualTo(201);
        assertThat(quotaBundles()).containsExactly("quota.sat-1.ocean.1", "quota.sat-2.ocean.1");
    }

    @Test
    void aChangedQuotaGoesToEverySatelliteHoldingTheTenantsObjectsUnderTheNextVersion() throws Exception {
        assertThat(admin.post(SAT + "/apply", app("a", "ocean", 32)).status()).isEqualTo(201);
        assertThat(admin.post("/api/v1/satellites/sat-2/apply", app("b", "ocean", 32)).status()).isEqualTo(201);
        assertThat(admin.post("/api/v1/satellites/sat-3/apply", app("c", "fire", 32)).status()).isEqualTo(201);
        // a platform admin changes the tenant's quota (orchide set quota ocean --quota cpu=500m,storage=1Gi)
        assertThat(admin.call("PUT", "/api/v1/tenants/ocean/quota", "{\"quota\": \"cpu=500m,storage=1Gi\"}").status())
                .isEqualTo(200);

        assertThat(quotaBundles()).containsExactly("quota.sat-1.ocean.1", "quota.sat-2.ocean.1",
                "quota.sat-1.ocean.2", "quota.sat-2.ocean.2");
        assertThat(TenantQuota.decode(uplink.queued.get("quota.sat-2.ocean.2").payload()))
                .isEqualTo(new TenantQuota("ocean", 2, 500L, 1L << 30, 1L << 30));
        assertThat(ground.desired().quotaChanged("ocean")).as("sent already").isEmpty();
        // a change of a ground-only limit sends nothing on board
        assertThat(admin.call("PUT", "/api/v1/tenants/ocean/quota", "{\"quota\": \"apps=5\"}").status()).isEqualTo(200);
        assertThat(quotaBundles()).hasSize(4);
    }

    static StatusReport.Audit record(long seq, String origin, String name, String outcome, String reason) {
        return new StatusReport.Audit(seq, T0.plusSeconds(seq), origin, "apply", "App", name, "ocean",
                origin.equals("ground") ? 2 : null, outcome, reason);
    }

    void deliver(String id, List<StatusReport.Audit> audit) throws Exception {
        deliver(id, "e1", audit);
    }

    void deliver(String id, String epoch, List<StatusReport.Audit> audit) throws Exception {
        byte[] b = new StatusReport(T0, "n1", List.of(), List.of(), List.of(), List.of(), audit, epoch).encode();
        ground.intake().deliver(Fixtures.bundle(id, "sat-1", BundleKind.REPORT.wire(), b, T0), b);
    }

    List<AuditRecord> nodeEntries() {
        return ground.audit().query(new AuditQuery(null, null, "satellite:sat-1/n1", null, null, 100)).reversed();
    }

    @Test
    void aNodeWhoseDatabaseWasMadeAnewNumbersFromOneAgainAndItsRecordsAreStillTaken() throws Exception {
        deliver("report.sat-1.1", List.of(record(1, "ground", "a", "applied", "created"),
                record(2, "ground", "b", "applied", "created")));
        deliver("report.sat-1.2", "e2", List.of(record(1, "local", "c", "refused", "over quota")));

        await().untilAsserted(() -> assertThat(nodeEntries()).hasSize(4));
        assertThat(nodeEntries()).extracting(r -> r.entry().resource()).containsExactly("satellites/sat-1/apps/a",
                "satellites/sat-1/apps/b", "satellites/sat-1/nodes/n1/audit", "satellites/sat-1/apps/c");
        assertThat(nodeEntries().get(2).entry().detail()).isEqualTo("the node's audit starts anew (epoch e2 after e1, "
                + "a new node database): its records are numbered from 1 again");
    }

    @Test
    void aNodesAuditRecordsBecomeEntriesOfTheChainEachOnceWithTheGapsItCouldNotReport() throws Exception {
        String refusal = "workload b refused: tenant ocean is over its on-board cpu quota (quota 1, in use 1, requested 1)";
        deliver("report.sat-1.1", List.of(record(1, "ground", "a", "applied", "created"),
                record(2, "local", "b", "refused", refusal)));
        // the same records again (the node crashed before it marked them reported), one new, then a gap
        deliver("report.sat-1.2", List.of(record(1, "ground", "a", "applied", "created"),
                record(2, "local", "b", "refused", refusal), record(3, "local", "c", "applied", "created")));
        deliver("report.sat-1.3", List.of(record(6, "ground", "a", "applied", "configured")));

        await().untilAsserted(() -> assertThat(nodeEntries()).hasSize(5));
        List<AuditRecord> e = nodeEntries();
        assertThat(e).extracting(r -> r.entry().resource()).containsExactly("satellites/sat-1/apps/a",
                "satellites/sat-1/apps/b", "satellites/sat-1/apps/c", "satellites/sat-1/nodes/n1/audit",
                "satellites/sat-1/apps/a");
        assertThat(e).extracting(r -> r.entry().outcome()).containsExactly(Outcome.ALLOWED, Outcome.DENIED,
                Outcome.ALLOWED, Outcome.FAILED, Outcome.ALLOWED);
        assertThat(e.get(1).entry().tenant()).isEqualTo("ocean");
        assertThat(e.get(1).entry().source()).isEqualTo("satellite:sat-1");
        assertThat(e.get(1).entry().verb()).isEqualTo("apply");
        assertThat(e.get(1).entry().detail()).isEqualTo("refused on board by n1 at " + T0.plusSeconds(2)
                + ", from the node's local API: " + refusal);
        assertThat(e.get(0).entry().detail()).contains("from ground, generation 2: created");
        assertThat(e.get(3).entry().detail()).contains("records 4 to 5 were dropped on board");
        assertThat(ground.audit().verify().intact()).isTrue();

        // the local refusal is among the satellite's events, under the App's subject
        Api.Reply events = admin.get(SAT + "/events");
        assertThat(events.json().path("items").toString()).contains("App/b")
                .contains("apply from the node's local API refused: " + refusal);
        // a tenant admin of ocean finds the refusal in the audit log
        Api oceanAdmin = admin.as(admin.token("ocean", "tenant-admin", "1d"));
        assertThat(oceanAdmin.get("/api/v1/audit?actor=satellite:sat-1/n1&outcome=denied").json().path("items").toString())
                .contains("satellites/sat-1/apps/b").contains("quota 1, in use 1, requested 1");
    }
}
