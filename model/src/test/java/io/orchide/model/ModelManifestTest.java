package io.orchide.model;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ModelManifestTest {
    private static final String DIGEST = "sha256:" + "ab".repeat(32);
    private static final String FULL = """
            apiVersion: orchide.io/v1
            kind: Model
            metadata: {name: ship-detector, tenant: ocean-team}
            spec:
              digest: %s
              version: 1.2.0
              tenants: [ocean-team, fire-team]
              accelerators: [cpu, gpu]
              signer: 3f1a9c
            """.formatted(DIGEST);

    @Test
    void readsDigestVersionTenantsAcceleratorsAndSigner() throws ManifestException {
        Model m = Manifests.parseModel(FULL);
        assertThat(m.spec()).isEqualTo(new ModelSpec(DIGEST, "1.2.0", List.of("ocean-team", "fire-team"),
                List.of("cpu", "gpu"), "3f1a9c"));
        assertThat(m.allows("fire-team", "gpu")).isTrue();
        assertThat(m.allows("fire-team", "fpga")).isFalse();
        assertThat(m.allows("land-team", "cpu")).isFalse();
    }

    @Test
    void withoutTenantsOnlyItsOwnTenantMayUseIt() throws ManifestException {
        Model m = Manifests.parseModel("""
                apiVersion: orchide.io/v1
                kind: Model
                metadata: {name: cloud-mask, tenant: ocean-team}
                spec: {digest: %s, version: "3", accelerators: [cpu]}
                """.formatted(DIGEST));
        assertThat(m.allows("ocean-team", "cpu")).isTrue();
        assertThat(m.allows("default", "cpu")).isFalse();
        assertThat(m.spec().signer()).isNull();
    }

    @Test
    void writesWhatItReads() throws ManifestException {
        Model m = Manifests.parseModel(FULL);
        assertThat(Manifests.parseModel(Manifests.toYaml(m))).isEqualTo(m);
        assertThat(Manifests.parseAll(Manifests.toJson(m), null)).containsExactly(m);
    }

    @Test
    void everyBadFieldIsNamedWithItsValue() {
        ManifestException e = catchThrowableOfType(ManifestException.class, () -> Manifests.parseModel("""
                apiVersion: orchide.io/v1
                kind: Model
                metadata: {name: m, tenant: t}
                spec: {digest: "sha256:XYZ", version: "1 0", tenants: [Bad_Tenant], accelerators: [], owner: x}
                """));
        assertThat(e.errors()).extracting(FieldError::toString).containsExactlyInAnyOrder(
                "spec.owner: unknown field; known fields here: digest, version, tenants, accelerators, signer",
                "spec.digest: must be sha256: followed by 64 lowercase hex digits (orchide image push prints it) (got \"sha256:XYZ\")",
                "spec.version: must be at most 64 printable characters without spaces (got \"1 0\")",
                "spec.tenants[0]: " + Names.dnsLabelProblem("Bad_Tenant") + " (got \"Bad_Tenant\")",
                "spec.accelerators: must name at least one accelerator class (got [])");
    }

    @Test
    void aModelWithoutAcceleratorsOrDigestIsRefused() {
        ManifestException e = catchThrowableOfType(ManifestException.class, () -> Manifests.parseModel("""
                apiVersion: orchide.io/v1
                kind: Model
                metadata: {name: m}
                spec: {version: "1"}
                """));
        assertThat(e.errors()).extracting(FieldError::path).containsExactlyInAnyOrder("spec.digest", "spec.accelerators");
    }

    @Test
    void anAppDeclaresTheModelsItUsesWithTheirClassAndPath() throws ManifestException {
        App app = Manifests.parseApp("""
                apiVersion: orchide.io/v1
                kind: App
                metadata: {name: detect, tenant: ocean-team}
                spec:
                  image: /bin/true
                  runtime: {family: process, monitor: bwrap}
                  models: [cloud-mask, {name: ship-detector, accelerator: gpu, path: /opt/ship.onnx}]
                """, null);
        assertThat(app.spec().models()).containsExactly(
                new ModelUse("cloud-mask", "cpu", "/run/orchide/models/cloud-mask.onnx"),
                new ModelUse("ship-detector", "gpu", "/opt/ship.onnx"));
        assertThat(Manifests.parseApp(Manifests.toYaml(app), null)).isEqualTo(app);
    }

    @Test
    void aModelUsedTwiceOrARelativePathIsRefused() {
        ManifestException e = catchThrowableOfType(ManifestException.class, () -> Manifests.parseApp("""
                apiVersion: orchide.io/v1
                kind: App
                metadata: {name: detect}
                spec:
                  image: /bin/true
                  models: [m1, m1, {name: m2, path: models/m2.onnx}]
                """, null));
        assertThat(e.errors()).extracting(FieldError::path).containsExactly("spec.models[1]", "spec.models[2].path");
        assertThat(e.getMessage()).contains("models/m2.onnx");
    }
}
