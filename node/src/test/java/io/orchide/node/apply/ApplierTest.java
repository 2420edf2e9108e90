package io.orchide.node.apply;

import io.orchide.model.App;
import io.orchide.model.Arch;
import io.orchide.model.FieldError;
import io.orchide.model.Manifests;
import io.orchide.model.Pipeline;
import io.orchide.node.workload.ApplyResult;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The rules every manifest goes through on the node, whether the local API or ground sent it. */
class ApplierTest {
    static final String IMAGE = "sha256:" + "ab".repeat(32);

    final RecordingTargets targets = new RecordingTargets();
    final List<String> applied = targets.applied;
    final Set<String> stored = targets.stored;
    final Applier applier = targets.applier();

    static App app(String image, int memory) throws Exception {
        return Manifests.parseApp("""
                apiVersion: orchide.io/v1
                kind: App
                metadata: {name: hello}
                spec:
                  image: %s
                  runtime: {family: unikraft, monitor: qemu, arch: x86_64}
                  resources: {vcpus: 1, memoryMiB: %d}
                """.formatted(image, memory), Arch.X86_64);
    }

    static Pipeline pipeline(String image) throws Exception {
        return Manifests.parsePipeline("""
                apiVersion: orchide.io/v1
                kind: Pipeline
                metadata: {name: crunch}
                spec:
                  steps:
                    - name: first
                      template:
                        image: /images/first.elf
                        runtime: {family: unikraft, monitor: qemu, arch: x86_64}
                        resources: {vcpus: 1, memoryMiB: 32}
                    - name: second
                      after: [first]
                      template:
                        image: %s
                        runtime: {family: unikraft, monitor: qemu, arch: x86_64}
                        resources: {vcpus: 1, memoryMiB: 32}
                """.formatted(image), Arch.X86_64);
    }

    @Test
    void anAppNamingAContentImageTheNodeLacksIsNotAppliedAndSaysWhichFieldNamesIt() throws Exception {
        Applier.Outcome out = applier.apply(app(IMAGE, 32));

        assertThat(out).isInstanceOf(Applier.Waiting.class);
        assertThat(((Applier.Waiting) out).missing())
                .containsExactly(new FieldError("spec.image", IMAGE, Applier.LACKING));
        assertThat(((Applier.Waiting) out).message()).isEqualTo("waiting for content image " + IMAGE);
        assertThat(applied).isEmpty();
    }

    @Test
    void aPipelineOneOfWhoseStepsNamesAContentImageTheNodeLacksIsNotApplied() throws Exception {
        Applier.Outcome out = applier.apply(pipeline(IMAGE));

        assertThat(((Applier.Waiting) out).missing())
                .containsExactly(new FieldError("spec.steps[1].template.image", IMAGE, Applier.LACKING));
        assertThat(applied).isEmpty();
    }

    @Test
    void onceTheImageIsStoredTheSameManifestIsApplied() throws Exception {
        applier.apply(app(IMAGE, 32));
        stored.add(IMAGE);

        assertThat(applier.apply(app(IMAGE, 32))).isEqualTo(new Applier.Applied(ApplyResult.CREATED));
        assertThat(applier.apply(pipeline(IMAGE))).isEqualTo(new Applier.Applied(ApplyResult.CREATED));
        assertThat(applied).containsExactly("App hello", "Pipeline crunch");
    }

    @Test
    void anUnchangedManifestAnswersUnchangedWithoutReachingTheReconcilerOrThePipelineSide() throws Exception {
        stored.add(IMAGE);
        applier.apply(app(IMAGE, 32));
        applier.apply(pipeline(IMAGE));
        stored.clear(); // even an image removed since changes nothing for a manifest that is already applied

        assertThat(applier.apply(app(IMAGE, 32))).isEqualTo(new Applier.Applied(ApplyResult.UNCHANGED));
        assertThat(applier.apply(pipeline(IMAGE))).isEqualTo(new Applier.Applied(ApplyResult.UNCHANGED));
        assertThat(applied).containsExactly("App hello", "Pipeline crunch");
    }

    @Test
    void aChangedManifestIsAppliedAgain() throws Exception {
        applier.apply(app("/images/hello.elf", 32));

        assertThat(applier.apply(app("/images/hello.elf", 64))).isEqualTo(new Applier.Applied(ApplyResult.CONFIGURED));
    }

    @Test
    void aPipelineReadingAnotherTenantsDatasetIsRefusedNamingTheFieldAndNotApplied() throws Exception {
        assertThat(applier.apply(Manifests.parseAll("""
                apiVersion: orchide.io/v1
                kind: Dataset
                metadata: {name: archive, tenant: ocean-team}
                """, null).getFirst())).isEqualTo(new Applier.Applied(ApplyResult.CREATED));
        Pipeline burn = Manifests.parsePipeline("""
                apiVersion: orchide.io/v1
                kind: Pipeline
                metadata: {name: burn, tenant: fire-team}
                spec:
                  triggers: [{onData: {dataset: archive}}]
                  steps: [{name: run, app: hello}]
                """, Arch.X86_64);

        io.orchide.node.pipeline.run.PipelineRefusedException e = org.assertj.core.api.Assertions.catchThrowableOfType(
                io.orchide.node.pipeline.run.PipelineRefusedException.class, () -> applier.apply(burn));
        assertThat(e.errors()).extracting(FieldError::path).containsExactly("spec.triggers[0].onData.dataset");
        assertThat(applied).containsExactly("Dataset archive");
    }
}
