package io.orchide.twin.run;

import io.orchide.model.App;
import io.orchide.model.Manifest;
import io.orchide.model.Manifests;
import io.orchide.model.Pipeline;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The manifest of the cross-tenant attempt must reach ground's access check: it has to be a valid manifest (else
 * ground answers 400 before it asks who may create it) in the victim's tenant and under the victim's name.
 */
class CrossTenantAttemptTest {
    @Test
    void theAttemptIsAValidPipelineOrAppInTheVictimsTenantUnderTheVictimsName() throws Exception {
        List<Manifest> pipeline = Manifests.parseAll(CrossTenantAttempt.manifest(true, "cloud-filter", "ocean-team"), null);
        assertThat(pipeline).singleElement().isInstanceOfSatisfying(Pipeline.class, p -> {
            assertThat(p.name()).isEqualTo("cloud-filter");
            assertThat(p.metadata().tenant()).isEqualTo("ocean-team");
        });
        List<Manifest> app = Manifests.parseAll(CrossTenantAttempt.manifest(false, "hello", "ocean-team"), null);
        assertThat(app).singleElement().isInstanceOfSatisfying(App.class, a -> {
            assertThat(a.name()).isEqualTo("hello");
            assertThat(a.metadata().tenant()).isEqualTo("ocean-team");
        });
    }

    @Test
    void theTextSaysWhoTriedWhatHowGroundAnsweredAndWhereTheAuditLogHasIt() {
        var refused = new CrossTenantAttempt("fire-team", "sa-1f2e", "ocean-team", "pipeline/cloud-filter", "sat-1", 403,
                "forbidden", "sa-1f2e may not create pipelines in tenant ocean-team",
                new CrossTenantAttempt.AuditEntry(42, "2026-12-01T05:59:58Z"));
        assertThat(CrossTenantText.lines(refused)).containsExactly(
                "cross-tenant attempt: fire-team's developer (sa-1f2e) tried to replace ocean-team's pipeline/cloud-filter on sat-1",
                "refused: 403 forbidden: sa-1f2e may not create pipelines in tenant ocean-team",
                "in the audit log: entry 42 at 2026-12-01T05:59:58Z (GET /api/v1/audit?outcome=denied&actor=sa-1f2e)");
        var unlogged = new CrossTenantAttempt("fire-team", "sa-1f2e", "ocean-team", "pipeline/cloud-filter", "sat-1", 403,
                "forbidden", "no", null);
        assertThat(CrossTenantText.lines(unlogged).get(2)).startsWith("in the audit log: no entry found");
        var accepted = new CrossTenantAttempt("fire-team", "sa-1f2e", "ocean-team", "pipeline/cloud-filter", "sat-1", 200,
                null, "ground accepted it", null);
        assertThat(accepted.refused()).isFalse();
        assertThat(CrossTenantText.lines(accepted)).hasSize(2).last().asString().startsWith("ISOLATION BROKEN: ground answered 200");
    }
}
