package io.orchide.node.api;

import io.orchide.model.Arch;
import io.orchide.model.FieldError;
import io.orchide.model.Manifests;
import io.orchide.model.Pipeline;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A manual run that could only fail for want of its trigger file is refused before it is queued. */
class TriggerInputsTest {
    private static final String CLOUD_FILTER = """
            apiVersion: orchide.io/v1
            kind: Pipeline
            metadata: {name: cloud-filter}
            spec:
              triggers: [{manual: {}}]
              steps:
                - name: cloud
                  template:
                    image: /opt/k.elf
                    runtime: {family: multiboot, monitor: qemu, arch: x86_64}
                    resources: {vcpus: 1, memoryMiB: 32}
                  inputs: [{name: scene, from: trigger}]
                  outputs: [{name: cover, path: cover.txt}]
                - name: compress
                  after: [cloud]
                  template:
                    image: /opt/k.elf
                    runtime: {family: multiboot, monitor: qemu, arch: x86_64}
                    resources: {vcpus: 1, memoryMiB: 32}
                  inputs: [{name: scene, from: trigger}]
            """;
    private static final String NO_TRIGGER_INPUT = """
            apiVersion: orchide.io/v1
            kind: Pipeline
            metadata: {name: tick}
            spec:
              triggers: [{manual: {}}]
              steps:
                - name: count
                  template:
                    image: /opt/k.elf
                    runtime: {family: multiboot, monitor: qemu, arch: x86_64}
                    resources: {vcpus: 1, memoryMiB: 32}
            """;

    @Test
    void aRunWithoutTheFileItsStepsReadIsRefusedNamingTheInputAndTheSteps() throws Exception {
        List<FieldError> errors = TriggerInputs.missing(pipeline(CLOUD_FILTER), Map.of());

        assertThat(errors).hasSize(1);
        FieldError e = errors.getFirst();
        assertThat(e.path()).isEqualTo("inputs.scene");
        assertThat(e.message()).contains("cloud, compress").contains("--input scene=FILE");
    }

    @Test
    void aRunGivenItsFileOrOfAPipelineThatReadsNoneIsLeftToStart() throws Exception {
        assertThat(TriggerInputs.missing(pipeline(CLOUD_FILTER), Map.of("scene", "/data/s.pgm"))).isEmpty();
        assertThat(TriggerInputs.missing(pipeline(NO_TRIGGER_INPUT), Map.of())).isEmpty();
    }

    private static Pipeline pipeline(String yaml) throws Exception {
        return Manifests.parsePipeline(yaml, Arch.X86_64);
    }
}
