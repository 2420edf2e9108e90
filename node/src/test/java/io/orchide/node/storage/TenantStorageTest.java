package io.orchide.node.storage;

import io.orchide.model.message.TenantQuota;
import io.orchide.node.tenant.QuotaExceededException;
import io.orchide.node.tenant.QuotaSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The storage keeper holds each tenant's run files to its on-board storage quota: measured by the tenant of each
 * run's pipeline, a file linked twice counted once and a dataset's file staged by link not at all; a tenant over its
 * quota has its own finished runs' files reclaimed first and, while still over, its runs wait; both changes are told.
 */
class TenantStorageTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path data;

    /** Runs of pipelines scan-* are ocean's, of fire-* fire's. */
    static Optional<String> tenantOf(String run) {
        return Optional.of(run.startsWith("scan") ? "ocean" : "fire");
    }

    Path run(Path root, String name, int bytes) throws Exception {
        Path d = Files.createDirectories(root.resolve(name).resolve("out"));
        Files.write(d.resolve("data.bin"), new byte[bytes]);
        return d.resolve("data.bin");
    }

    @Test
    void eachTenantsRunFilesAreCountedOnceAndADatasetsFileNotAtAll() throws Exception {
        Path ws = data.resolve("workspaces"), outbox = data.resolve("outbox");
        Path product = run(ws, "scan-000001", 1000);
        Files.createDirectories(outbox.resolve("scan-000001"));
        Files.createLink(outbox.resolve("scan-000001").resolve("data.bin"), product); // the product, placed by link
        run(ws, "fire-000002", 300);
        Path dataset = Files.write(Files.createDirectories(data.resolve("datasets/scenes")).resolve("s1"), new byte[5000]);
        Files.createLink(ws.resolve("scan-000001").resolve("scene"), dataset);
        TenantStorage t = new TenantStorage(List.of(ws, outbox), TenantStorageTest::tenantOf, QuotaSource.NONE,
                (tenant, bytes) -> 0L);

        assertThat(t.measure()).isEmpty();
        assertThat(t.all()).isEqualTo(Map.of("ocean", 1000L, "fire", 300L));
    }

    @Test
    void aTenantOverItsQuotaHasItsFinishedRunsReclaimedThenItsRunsWaitUntilItIsWithinAgain() throws Exception {
        Path ws = data.resolve("workspaces");
        run(ws, "scan-000001", 4000);
        run(ws, "scan-000002", 4000);
        run(ws, "fire-000003", 9000);
        TenantQuota quota = new TenantQuota("ocean", 1, null, null, 5000L);
        QuotaSource quotas = tenant -> tenant.equals("ocean") ? Optional.of(quota) : Optional.empty();
        List<String> asked = new ArrayList<>();
        // the reclaimer deletes ocean's oldest finished run, scan-000001, the first time only
        TenantStorage t = new TenantStorage(List.of(ws), TenantStorageTest::tenantOf, quotas, (tenant, bytes) -> {
            asked.add(tenant + " " + bytes);
            if (asked.size() > 1) return 0L;
            io.orchide.node.pipeline.workspace.FileStager.deleteTree(ws.resolve("scan-000001"));
            return 4000L;
        });

        assertThat(t.measure()).isEmpty();
        assertThat(asked).containsExactly("ocean 3001");
        assertThat(t.used("ocean")).isEqualTo(4000);
        assertThatCode(() -> t.check("run 4 of pipeline scan", "ocean")).doesNotThrowAnyException();

        run(ws, "scan-000004", 2000);
        assertThat(t.measure()).containsExactly("tenant ocean is over its on-board storage quota (6000 of 5000 used "
                + "after its finished runs' files were reclaimed): its new runs wait");
        assertThatThrownBy(() -> t.check("run 5 of pipeline scan", "ocean"))
                .isInstanceOfSatisfying(QuotaExceededException.class, e -> {
                    assertThat(e.resource()).isEqualTo("storage");
                    assertThat(e.quota()).isEqualTo(5000);
                    assertThat(e.use()).isEqualTo(6000);
                });
        assertThatCode(() -> t.check("run 6 of pipeline fire", "fire")).as("no quota").doesNotThrowAnyException();
        assertThat(t.measure()).as("told once").isEmpty();
        assertThat(asked).containsExactly("ocean 3001", "ocean 1001", "ocean 1001");

        io.orchide.node.pipeline.workspace.FileStager.deleteTree(ws.resolve("scan-000004"));
        assertThat(t.measure()).containsExactly("tenant ocean is within its on-board storage quota again (4000 of 5000 used)");
    }

    @Test
    void theKeeperTellsATenantGoingOverItsQuotaAsAChange() throws Exception {
        Path ws = data.resolve("workspaces");
        run(ws, "scan-000001", 6000);
        TenantQuota quota = new TenantQuota("ocean", 1, null, null, 5000L);
        TenantStorage t = new TenantStorage(List.of(ws), TenantStorageTest::tenantOf, tenant -> Optional.of(quota),
                (tenant, bytes) -> 0L);
        List<StorageKeeper.Change> told = new ArrayList<>();
        StorageKeeper k = new StorageKeeper(new Volume(data, StorageBudget.WHOLE_DISK), List.of(), List.of(), t, CLOCK, null, told::add);

        k.check();
        assertThat(told).extracting(StorageKeeper.Change::note).contains("tenant ocean is over its on-board storage "
                + "quota (6000 of 5000 used after its finished runs' files were reclaimed): its new runs wait");
    }
}
