package io.orchide.node.apply;

import io.orchide.model.Arch;
import io.orchide.model.FieldError;
import io.orchide.model.Manifests;
import io.orchide.model.Model;
import io.orchide.node.pipeline.run.PipelineRefusedException;
import io.orchide.node.workload.ApplyResult;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Models are applied like any manifest, and a step template using one it may not use refuses the Pipeline. */
class ApplierModelsTest {
    static final String DIGEST = "sha256:" + "cd".repeat(32);

    final RecordingTargets targets = new RecordingTargets();
    final Map<String, Model> models = new HashMap<>();
    final Applier applier = targets.applier().withModels(new Applier.ModelSide() {
        @Override public Optional<Model> get(String name) { return Optional.ofNullable(models.get(name)); }

        @Override public ApplyResult apply(Model model) {
            return models.put(model.name(), model) == null ? ApplyResult.CREATED : ApplyResult.CONFIGURED;
        }

        @Override public boolean delete(String name) { return models.remove(name) != null; }
    });

    static Model model(String accelerators) throws Exception {
        return Manifests.parseModel("""
                apiVersion: orchide.io/v1
                kind: Model
                metadata: {name: ship-detector, tenant: ocean-team}
                spec: {digest: "%s", version: "2", accelerators: %s}
                """.formatted(DIGEST, accelerators));
    }

    static io.orchide.model.Pipeline pipeline(String tenant, String models) throws Exception {
        return Manifests.parsePipeline("""
                apiVersion: orchide.io/v1
                kind: Pipeline
                metadata: {name: ships, tenant: %s}
                spec:
                  steps:
                    - name: plain
                      template: {image: /bin/true, runtime: {family: process, monitor: bwrap}}
                    - name: detect
                      after: [plain]
                      template:
                        image: /bin/true
                        runtime: {family: process, monitor: bwrap}
                        models: %s
                """.formatted(tenant, models), Arch.X86_64);
    }

    @Test
    void aModelIsAppliedThenFoundUnchanged() throws Exception {
        assertThat(applier.apply(model("[cpu]"))).isEqualTo(new Applier.Applied(ApplyResult.CREATED));
        assertThat(applier.apply(model("[cpu]"))).isEqualTo(new Applier.Applied(ApplyResult.UNCHANGED));
        assertThat(applier.apply(model("[cpu, gpu]"))).isEqualTo(new Applier.Applied(ApplyResult.CONFIGURED));
        assertThat(applier.deleteModel("ship-detector")).isTrue();
        assertThat(models).isEmpty();
    }

    @Test
    void aStepUsingAModelNotHereOfAnotherTenantOrClassRefusesThePipelineNamingTheUse() throws Exception {
        applier.apply(model("[gpu]"));

        PipelineRefusedException absent = catchThrowableOfType(PipelineRefusedException.class,
                () -> applier.apply(pipeline("ocean-team", "[cloud-mask]")));
        assertThat(absent.errors()).extracting(FieldError::path).containsExactly("spec.steps[1].template.models[0]");
        PipelineRefusedException otherTenant = catchThrowableOfType(PipelineRefusedException.class,
                () -> applier.apply(pipeline("fire-team", "[{name: ship-detector, accelerator: gpu}]")));
        assertThat(otherTenant.errors().getFirst().message()).isEqualTo(
                "model ship-detector is not allowed for tenant fire-team (it allows ocean-team)");
        PipelineRefusedException otherClass = catchThrowableOfType(PipelineRefusedException.class,
                () -> applier.apply(pipeline("ocean-team", "[ship-detector]")));
        assertThat(otherClass.errors()).containsExactly(new FieldError("spec.steps[1].template.models[0].accelerator",
                "cpu", "model ship-detector may run on gpu only"));
        assertThat(targets.applied).isEmpty();

        assertThat(applier.apply(pipeline("ocean-team", "[{name: ship-detector, accelerator: gpu}]")))
                .isEqualTo(new Applier.Applied(ApplyResult.CREATED));
        assertThat(targets.applied).hasSize(1);
    }
}
