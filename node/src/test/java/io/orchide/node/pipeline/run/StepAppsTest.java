package io.orchide.node.pipeline.run;

import io.orchide.model.Arch;
import io.orchide.model.Manifests;
import io.orchide.model.Pipeline;
import io.orchide.node.pipeline.queue.Amount;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StepAppsTest {
    static final String YAML = """
            apiVersion: orchide.io/v1
            kind: Pipeline
            metadata: {name: tiles}
            spec:
              steps:
                - name: cut
                  template:
                    image: /opt/k.elf
                    runtime: {family: multiboot, monitor: qemu, arch: x86_64}
                    resources: {vcpus: 2, memoryMiB: 256}
                  outputs: [{name: tiles, path: tiles/}]
                - name: detect
                  after: [cut]
                  forEach: {items: steps.cut.outputs.tiles, parallelism: 4}
                  template:
                    image: /opt/k.elf
                    runtime: {family: multiboot, monitor: qemu, arch: x86_64}
                    resources: {vcpus: 1, memoryMiB: 100}
                  inputs: [{name: tile, from: item}]
            """;

    @Test
    void aRunNeedsItsLargestStepWithForEachCountedAsTheInstancesThatRunAtOnce() throws Exception {
        Pipeline p = Manifests.parsePipeline(YAML, Arch.X86_64);
        StepApps apps = new StepApps(n -> Optional.empty());
        assertThat(apps.runNeed(p, new Amount(8, 4096))).isEqualTo(new Amount(4, 400));
        // on a node of 3 vCPUs at most 3 instances run at once, so a run still fits
        assertThat(apps.runNeed(p, new Amount(3, 4096))).isEqualTo(new Amount(3, 300));
    }

    @Test
    void aRunReservesItsStepsAcceleratorsPerClassAndForEachIsHeldToTheNodesCount() throws Exception {
        Pipeline p = Manifests.parsePipeline(YAML
                .replace("resources: {vcpus: 2, memoryMiB: 256}",
                        "resources: {vcpus: 2, memoryMiB: 256, accelerators: [{class: npu}]}")
                .replace("resources: {vcpus: 1, memoryMiB: 100}",
                        "resources: {vcpus: 1, memoryMiB: 100, accelerators: [{class: gpu}]}"), Arch.X86_64);
        StepApps apps = new StepApps(n -> Optional.empty());
        // two GPUs: at most two detect instances at once, whatever the vCPUs allow
        assertThat(apps.runNeed(p, new Amount(8, 4096, java.util.Map.of("gpu", 2, "npu", 1))))
                .isEqualTo(new Amount(2, 256, java.util.Map.of("gpu", 2, "npu", 1)));
        assertThat(apps.runNeed(p, new Amount(8, 4096, java.util.Map.of("gpu", 8, "npu", 1))))
                .isEqualTo(new Amount(4, 400, java.util.Map.of("gpu", 4, "npu", 1)));
    }

    @Test
    void aStepNamingAnAbsentAppIsNamed() throws Exception {
        Pipeline p = Manifests.parsePipeline("""
                apiVersion: orchide.io/v1
                kind: Pipeline
                metadata: {name: ref}
                spec:
                  steps: [{name: check, app: cloud-check}]
                """, Arch.X86_64);
        assertThatThrownBy(() -> new StepApps(n -> Optional.empty()).runNeed(p, new Amount(8, 4096)))
                .hasMessageContaining("step check").hasMessageContaining("cloud-check");
        assertThat(StepApps.instanceName("ref-000007", "check", null)).isEqualTo("ref-000007-check");
        assertThat(StepApps.instanceName("ref-000007", "check", 2)).isEqualTo("ref-000007-check-2");
    }
}
