package io.orchide.node.dataset;

import io.orchide.model.Arch;
import io.orchide.model.Dataset;
import io.orchide.model.FieldError;
import io.orchide.model.Manifests;
import io.orchide.model.Pipeline;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static io.orchide.node.dataset.Datasets.dataset;
import static org.assertj.core.api.Assertions.assertThat;

class DatasetAccessTest {
    static Pipeline pipeline(String name, String tenant, String dataset) throws Exception {
        return Manifests.parsePipeline("""
                apiVersion: orchide.io/v1
                kind: Pipeline
                metadata: {name: %s, tenant: %s}
                spec:
                  triggers:
                    - schedule: {every: 1h}
                    - onData: {dataset: %s, glob: "*.pgm"}
                  steps:
                    - {name: run, app: hello}
                """.formatted(name, tenant, dataset), Arch.X86_64);
    }

    @Test
    void anotherTenantsDatasetIsRefusedNamingTheTriggerField() throws Exception {
        Map<String, Dataset> declared = Map.of("archive", dataset("archive", "ocean-team", "quota: {files: 3}"));
        assertThat(DatasetAccess.check(pipeline("burn", "fire-team", "archive"),
                n -> Optional.ofNullable(declared.get(n))))
                .extracting(FieldError::path, FieldError::value)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("spec.triggers[1].onData.dataset", "archive"));
        assertThat(DatasetAccess.check(pipeline("ship", "ocean-team", "archive"),
                n -> Optional.ofNullable(declared.get(n)))).isEmpty();
    }

    @Test
    void accessCanOpenADatasetToATenantOrOnePipeline() throws Exception {
        Dataset shared = dataset("archive", "ocean-team", """
                access:
                  read: {tenants: [ocean-team], pipelines: [burn]}""");
        assertThat(DatasetAccess.check(pipeline("burn", "fire-team", "archive"), n -> Optional.of(shared))).isEmpty();
        assertThat(DatasetAccess.check(pipeline("smoke", "fire-team", "archive"), n -> Optional.of(shared)))
                .hasSize(1);
    }

    @Test
    void anUndeclaredDatasetIsTheOperatorsAndEveryTenantMayRead() throws Exception {
        assertThat(DatasetAccess.check(pipeline("burn", "fire-team", "camera"), n -> Optional.empty())).isEmpty();
    }

    static Pipeline writer(String name, String tenant, String dataset) throws Exception {
        return Manifests.parsePipeline("""
                apiVersion: orchide.io/v1
                kind: Pipeline
                metadata: {name: %s, tenant: %s}
                spec:
                  steps:
                    - name: run
                      app: hello
                      outputs:
                        - {name: log, path: log.txt}
                        - {name: scene, path: scene.pgm, dataset: %s}
                """.formatted(name, tenant, dataset), Arch.X86_64);
    }

    @Test
    void anOutputIntoADatasetThePipelineMayOnlyReadIsRefusedNamingTheOutputField() throws Exception {
        Dataset readOnly = dataset("archive", "ocean-team", """
                access:
                  read: {tenants: [fire-team]}
                  write: {tenants: [ocean-team], pipelines: [ship]}""");
        assertThat(DatasetAccess.check(writer("burn", "fire-team", "archive"), n -> Optional.of(readOnly)))
                .extracting(FieldError::path, FieldError::value)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("spec.steps[0].outputs[1].dataset", "archive"));
        assertThat(DatasetAccess.check(writer("burn", "fire-team", "archive"), n -> Optional.of(readOnly)).get(0)
                .message()).isEqualTo("is not a dataset that pipeline burn of tenant fire-team may write");
        assertThat(DatasetAccess.check(writer("ship", "ocean-team", "archive"), n -> Optional.of(readOnly))).isEmpty();
        assertThat(DatasetAccess.check(writer("ship", "other-team", "archive"), n -> Optional.of(readOnly)))
                .isEmpty(); // listed by name: the write list names the pipeline, whoever its tenant
    }

    @Test
    void anOutputIntoADatasetNotDeclaredYetIsTakenAtApply() throws Exception {
        assertThat(DatasetAccess.check(writer("burn", "fire-team", "later"), n -> Optional.empty())).isEmpty();
    }

    @Test
    void aStepInputNamingADatasetThePipelineMayNotReadIsRefusedNamingTheInputsField() throws Exception {
        Pipeline reader = Manifests.parsePipeline("""
                apiVersion: orchide.io/v1
                kind: Pipeline
                metadata: {name: burn, tenant: fire-team}
                spec:
                  steps:
                    - name: run
                      app: hello
                      inputs: [{name: scenes, from: "datasets.archive/*.pgm"}]
                """, Arch.X86_64);
        Dataset archive = dataset("archive", "ocean-team", "quota: {files: 3}");
        assertThat(DatasetAccess.check(reader, n -> Optional.of(archive)))
                .extracting(FieldError::path, FieldError::value)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("spec.steps[0].inputs[0].from",
                        "datasets.archive/*.pgm"));
        Dataset shared = dataset("archive", "ocean-team", "access: {read: {pipelines: [burn]}}");
        assertThat(DatasetAccess.check(reader, n -> Optional.of(shared))).isEmpty();
    }
}
