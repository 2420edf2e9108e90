package io.orchide.model;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AcceleratorResourcesTest {
    private static final String APP = """
            apiVersion: orchide.io/v1
            kind: App
            metadata: {name: detector}
            spec:
              image: bundles/detector
              runtime: {family: container, monitor: runc}
              resources:
                accelerators: [{class: gpu}, {class: npu, count: 2}]
            """;

    @Test
    void aClassWithoutCountAsksForOneAndEveryClassIsKept() throws ManifestException {
        App app = Manifests.parseApp(APP, Arch.X86_64);

        assertThat(app.spec().resources().accelerators())
                .containsExactly(new AcceleratorRequest("gpu", 1), new AcceleratorRequest("npu", 2));
        assertThat(app.spec().resources().acceleratorCount()).isEqualTo(3);
    }

    @Test
    void theRequestsSurviveTheWayToTheNodeAndBack() throws ManifestException {
        App app = Manifests.parseApp(APP, Arch.X86_64);

        App back = Manifests.fromJson(Manifests.toJson(app));

        assertThat(back.spec().resources().accelerators()).isEqualTo(app.spec().resources().accelerators());
    }

    @Test
    void anAppWithoutAcceleratorsAsksForNone() throws ManifestException {
        App app = Manifests.parseApp(APP.replace("accelerators: [{class: gpu}, {class: npu, count: 2}]", "vcpus: 1"),
                Arch.X86_64);

        assertThat(app.spec().resources().accelerators()).isEqualTo(List.of());
    }
}
