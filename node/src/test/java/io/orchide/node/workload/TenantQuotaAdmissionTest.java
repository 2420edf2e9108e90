package io.orchide.node.workload;

import io.orchide.model.App;
import io.orchide.model.Arch;
import io.orchide.model.Manifests;
import io.orchide.model.message.TenantQuota;
import io.orchide.node.attempt.EventLoop;
import io.orchide.node.attempt.FakeDriver;
import io.orchide.node.attempt.ManualTimers;
import io.orchide.node.attempt.RecordingSupervisor;
import io.orchide.node.image.ContentImages;
import io.orchide.node.layout.NodeLayout;
import io.orchide.node.store.Database;
import io.orchide.node.store.NodeStore;
import io.orchide.node.store.WorkloadRecord;
import io.orchide.node.tenant.QuotaExceededException;
import io.orchide.node.tenant.TenantQuotas;
import io.orchide.runtime.image.ImageResolver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The node admits each tenant's workloads within the on-board quota ground sent (kept in node.db), on its own: a
 * workload that would take its tenant over is refused with the quota, the use and the request, and nothing of it is
 * stored or started; other tenants and the node's own capacity are not affected; runs' reservations count.
 */
class TenantQuotaAdmissionTest {
    @TempDir
    Path tmp;
    ManualTimers timers;
    RecordingSupervisor supervisor;
    Database db;
    NodeStore store;
    EventLoop loop;
    TenantQuotas quotas;
    Reservations reservations;
    Reconciler reconciler;

    @BeforeEach
    void setUp() throws Exception {
        timers = new ManualTimers(Instant.parse("2026-01-01T00:00:00Z"));
        supervisor = new RecordingSupervisor(timers.clock());
        db = Database.open(tmp.resolve("node.db"));
        store = new NodeStore(db);
        Files.writeString(tmp.resolve("k.elf"), "kernel");
        quotas = new TenantQuotas(db, timers.clock());
        reservations = new Reservations();
        loop = new EventLoop("test-workloads", timers.clock());
        WorkloadLauncher launcher = new WorkloadLauncher(new Drivers(List.of(new FakeDriver())), supervisor,
                new ImageResolver(), new ContentImages(NodeLayout.of(tmp).images()), NodeLayout.of(tmp));
        reconciler = new Reconciler(store, launcher, supervisor, new Capacity(8, 8192), reservations, quotas,
                timers.clock(), loop, timers);
        supervisor.onExit(reconciler::exited);
    }

    @AfterEach
    void tearDown() throws Exception {
        loop.close();
        db.close();
    }

    App app(String name, String tenant, int vcpus, int memoryMiB) throws Exception {
        return Manifests.parseApp("""
                apiVersion: orchide.io/v1
                kind: App
                metadata: {name: %s, tenant: %s}
                spec:
                  image: %s
                  runtime: {family: unikraft, monitor: qemu, arch: x86_64}
                  resources: {vcpus: %d, memoryMiB: %d}
                """.formatted(name, tenant, tmp.resolve("k.elf"), vcpus, memoryMiB), Arch.X86_64);
    }

    @Test
    void aWorkloadOverItsTenantsCpuQuotaIsRefusedWithQuotaUseAndRequestAndNothingIsKept() throws Exception {
        quotas.take(new TenantQuota("ocean", 1, 2000L, null, null));
        reconciler.apply(app("a", "ocean", 2, 64));

        assertThatThrownBy(() -> reconciler.apply(app("b", "ocean", 1, 64)))
                .isInstanceOfSatisfying(QuotaExceededException.class, e -> {
                    assertThat(e.tenant()).isEqualTo("ocean");
                    assertThat(e.resource()).isEqualTo("cpu");
                    assertThat(e.quota()).isEqualTo(2000);
                    assertThat(e.use()).isEqualTo(2000);
                    assertThat(e.request()).isEqualTo(1000);
                })
                .hasMessage("workload b refused: tenant ocean is over its on-board cpu quota (quota 2, in use 2, requested 1)");
        assertThat(store.workloads()).extracting(WorkloadRecord::name).containsExactly("a");
        assertThat(supervisor.alive).hasSize(1);
        // another tenant, without a quota, still has the node's room
        assertThat(reconciler.apply(app("c", "fire", 4, 64))).isEqualTo(ApplyResult.CREATED);
    }

    @Test
    void memoryCountsTheTenantsRunsAndAWorkloadsNewSpecReplacesItsOwnHolding() throws Exception {
        quotas.take(new TenantQuota("ocean", 1, null, 256L << 20, null));
        reconciler.apply(app("a", "ocean", 1, 128));
        reservations.hold("scan-000001", "ocean", new Capacity(1, 64));

        // a's new spec needs 192 MiB instead of its 128: 192 + 64 of the run = 256, within the quota
        assertThat(reconciler.apply(app("a", "ocean", 1, 192))).isEqualTo(ApplyResult.CONFIGURED);
        assertThatThrownBy(() -> reconciler.apply(app("b", "ocean", 1, 1)))
                .isInstanceOf(QuotaExceededException.class)
                .hasMessageContaining("memory quota (quota 256Mi, in use 256Mi, requested 1Mi)");
        reservations.release("scan-000001");
        assertThat(reconciler.apply(app("b", "ocean", 1, 64))).isEqualTo(ApplyResult.CREATED);
        assertThat(reconciler.used("ocean")).isEqualTo(new Capacity(2, 256));
    }

    @Test
    void aRunIsCheckedAgainstWhatTheTenantsWorkloadsHold() throws Exception {
        quotas.take(new TenantQuota("ocean", 1, 2000L, null, null));
        reconciler.apply(app("a", "ocean", 1, 64));

        reconciler.checkQuota("run 1 of pipeline scan", "ocean", new Capacity(1, 32));
        assertThatThrownBy(() -> reconciler.checkQuota("run 2 of pipeline scan", "ocean", new Capacity(2, 32)))
                .hasMessage("run 2 of pipeline scan refused: tenant ocean is over its on-board cpu quota "
                        + "(quota 2, in use 1, requested 2)");
    }

    @Test
    void aQuotaLoweredBelowTheUseKeepsWhatRunsAndRefusesMore() throws Exception {
        quotas.take(new TenantQuota("ocean", 1, 4000L, null, null));
        reconciler.apply(app("a", "ocean", 3, 64));
        quotas.take(new TenantQuota("ocean", 2, 1000L, null, null));

        assertThat(reconciler.get("a").state()).isEqualTo(WorkloadState.RUNNING);
        assertThatThrownBy(() -> reconciler.apply(app("b", "ocean", 1, 64))).isInstanceOf(QuotaExceededException.class)
                .hasMessageContaining("quota 1, in use 3, requested 1");
    }
}
