package io.orchide.twin.scenario;

import io.orchide.model.tenant.Quota;
import io.orchide.model.FieldError;
import io.orchide.model.ManifestException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScenarioReaderTest {
    static final String TLE = """
            1 99001U 26001A   26335.00000000  .00000100  00000-0  50000-4 0  9997
            2 99001  98.5700  60.0000 0001200  90.0000   0.0000 14.30800000    15""";

    @TempDir
    Path dir;

    private static String scenario(String satellites, String rest) {
        return """
                apiVersion: orchide.io/v1
                kind: Scenario
                metadata: {name: small}
                spec:
                  start: "2026-12-01T06:00:00Z"
                  duration: 2h
                  speed: 500
                  seed: 7
                  satellites:
                %s
                  stations:
                    - {name: svalbard, latitude: 78.23, longitude: 15.41, minElevation: 5, uplink: 256k, downlink: 2M}
                %s
                """.formatted(satellites, rest);
    }

    private static String sat(String name) {
        return "    - name: " + name + "\n      tle: |\n" + TLE.lines().map(l -> "        " + l).reduce((a, b) -> a + "\n" + b).orElseThrow();
    }

    @Test
    void aScenarioReadsWithItsDefaultsAndResolvesManifestsAgainstItsFile() throws Exception {
        Files.writeString(dir.resolve("p.yaml"), "kind: Pipeline\n");
        Scenario s = ScenarioReader.parse(scenario(sat("sat-1"), """
                  manifests: [p.yaml]
                  targets:
                    - {name: europe, latitude: [35, 60], longitude: [-10, 30]}
                    - {name: pacific, latitude: [-10, 10], longitude: [170, -170]}
                  faults:
                    - {at: 30m, kind: reboot, satellite: sat-1, duration: 5m}
                    - {at: 1h, kind: corruptScene, satellite: sat-1}
                    - {at: 90m, kind: diskFull, satellite: sat-1, duration: 10m}
                """), dir.resolve("s.yaml"));
        assertThat(s.name()).isEqualTo("small");
        assertThat(s.start()).isEqualTo(Instant.parse("2026-12-01T06:00:00Z"));
        assertThat(s.end()).isEqualTo(Instant.parse("2026-12-01T08:00:00Z"));
        assertThat(s.speed()).isEqualTo(500);
        assertThat(s.seed()).isEqualTo(7);
        assertThat(s.manifests()).containsExactly(dir.resolve("p.yaml"));
        SatelliteSpec sat = s.satellites().get(0);
        assertThat(sat.tle().line1()).startsWith("1 99001U");
        assertThat(sat.camera()).isEqualTo(CameraSpec.DEFAULT);
        assertThat(sat.node()).isEqualTo(NodeSpec.DEFAULT);
        assertThat(s.stations().get(0).downRateBps()).isEqualTo(2_000_000);
        assertThat(s.stations().get(0).altitudeM()).isZero();
        assertThat(s.targets().get(1).crossesAntimeridian()).isTrue();
        assertThat(s.link()).isEqualTo(LinkSpec.DEFAULT);
        assertThat(s.faults()).containsExactly(new Fault(Duration.ofMinutes(30), FaultKind.REBOOT, "sat-1", Duration.ofMinutes(5)),
                new Fault(Duration.ofHours(1), FaultKind.CORRUPT_SCENE, "sat-1", null),
                new Fault(Duration.ofMinutes(90), FaultKind.DISK_FULL, "sat-1", Duration.ofMinutes(10)));
        assertThat(sat.node().storageBytes()).isEqualTo(NodeSpec.DEFAULT_STORAGE);
        assertThat(s.with(100.0, 9L)).satisfies(t -> {
            assertThat(t.speed()).isEqualTo(100);
            assertThat(t.seed()).isEqualTo(9);
            assertThat(t.satellites()).isEqualTo(s.satellites());
        });
    }

    @Test
    void everyErrorOfABrokenScenarioIsReportedWithItsPathAndValue() {
        String broken = """
                apiVersion: orchide.io/v1
                kind: Scenario
                metadata: {name: Bad_Name}
                spec:
                  start: tomorrow
                  duration: 90d
                  speed: 0
                  colour: blue
                  manifests: [missing.yaml]
                  satellites:
                    - name: sat-1
                      tle: "1 99001U only one line"
                      camera: {width: 4, interval: 10ms}
                      node: {storage: 1Mi}
                    - name: sat-1
                      node: {storage: lots}
                      tle: |
                        1 99001U 26001A   26335.00000000  .00000100  00000-0  50000-4 0  9990
                        2 99001  98.5700  60.0000 0001200  90.0000   0.0000 14.30800000    15
                  stations:
                    - {name: svalbard, latitude: 91, longitude: 15, uplink: fast, downlink: 2M}
                  targets:
                    - {name: europe, latitude: [60, 35], longitude: [-10]}
                  link: {loss: 0.9}
                  faults:
                    - {at: 30m, kind: meteor, satellite: sat-1}
                    - {at: 1h, kind: reboot, satellite: sat-9}
                    - {at: 1h, kind: corruptScene, satellite: sat-1, duration: 5m}
                    - {at: 1h, kind: diskFull, satellite: sat-1}
                """;
        assertThatThrownBy(() -> ScenarioReader.parse(broken, dir.resolve("s.yaml")))
                .isInstanceOfSatisfying(ManifestException.class, e -> {
                    List<String> paths = e.errors().stream().map(FieldError::path).toList();
                    assertThat(paths).contains("metadata.name", "spec.start", "spec.duration", "spec.speed",
                            "spec.colour", "spec.manifests[0]", "spec.satellites[0].tle",
                            "spec.satellites[0].camera.width", "spec.satellites[0].camera.interval",
                            "spec.satellites[1].name", "spec.satellites[1].tle", "spec.stations[0].latitude",
                            "spec.stations[0].uplink", "spec.targets[0].latitude", "spec.targets[0].longitude",
                            "spec.link.loss", "spec.faults[0].kind", "spec.faults[1].satellite",
                            "spec.faults[1].duration", "spec.faults[2].duration", "spec.faults[3].duration",
                            "spec.satellites[0].node.storage", "spec.satellites[1].node.storage");
                    // sat-1 is named, though its TLEs are broken: faults naming it are not reported as well
                    assertThat(paths).doesNotContain("spec.faults[0].satellite", "spec.faults[2].satellite");
                    assertThat(e.errors()).anySatisfy(f -> {
                        assertThat(f.path()).isEqualTo("spec.stations[0].uplink");
                        assertThat(f.value()).isEqualTo("\"fast\"");
                    });
                    assertThat(e.errors()).anySatisfy(f -> {
                        assertThat(f.path()).isEqualTo("spec.satellites[0].node.storage");
                        assertThat(f.message()).contains("at least " + NodeSpec.MIN_STORAGE);
                    });
                    assertThat(e.errors()).anySatisfy(f -> {
                        assertThat(f.path()).isEqualTo("spec.satellites[1].tle");
                        assertThat(f.message()).contains("checksum");
                    });
                });
    }

    @Test
    void notAScenarioIsRefused() {
        assertThatThrownBy(() -> ScenarioReader.parse("kind: Pipeline\napiVersion: orchide.io/v1\nmetadata: {name: x}\nspec: {}",
                dir.resolve("s.yaml")))
                .isInstanceOfSatisfying(ManifestException.class, e -> assertThat(e.errors())
                        .anySatisfy(f -> assertThat(f.toString()).isEqualTo("kind: must be Scenario (got \"Pipeline\")")));
        assertThatThrownBy(() -> ScenarioReader.parse("a: [", dir.resolve("s.yaml"))).isInstanceOf(ManifestException.class);
        assertThatThrownBy(() -> ScenarioReader.read(dir.resolve("nope.yaml")))
                .isInstanceOf(ManifestException.class).hasMessageContaining("nope.yaml");
    }

    private static final Supplier<Optional<Path>> INSTALLED = () -> Optional.of(Path.of("/usr/lib/postgresql/15/bin"));

    @Test
    void groundDefaultsToOneReplicaOnSqliteAndTakesReplicasOnPostgresWithTheirFaults() throws Exception {
        assertThat(ScenarioReader.parse(scenario(sat("sat-1"), ""), dir.resolve("s.yaml"), INSTALLED).ground())
                .isEqualTo(new GroundSpec(1, GroundSpec.Database.SQLITE));
        Scenario s = ScenarioReader.parse(scenario(sat("sat-1"), """
                  ground: {replicas: 2, database: postgres}
                  faults:
                    - {at: 30m, kind: groundReplicaCrash, satellite: sat-1, duration: 10m}
                    - {at: 40m, kind: groundReplicaCrash, replica: 2}
                    - {at: 1h, kind: databaseRestart, duration: 2m}
                """), dir.resolve("s.yaml"), INSTALLED);
        assertThat(s.ground()).isEqualTo(new GroundSpec(2, GroundSpec.Database.POSTGRES));
        assertThat(s.faults()).containsExactly(
                new Fault(Duration.ofMinutes(30), FaultKind.GROUND_REPLICA_CRASH, "sat-1", Duration.ofMinutes(10), null),
                new Fault(Duration.ofMinutes(40), FaultKind.GROUND_REPLICA_CRASH, null, null, 2),
                new Fault(Duration.ofHours(1), FaultKind.DATABASE_RESTART, null, Duration.ofMinutes(2), null));
        assertThat(s.faults().get(0).describe()).isEqualTo("groundReplicaCrash of the replica serving sat-1 for 10m");
        assertThat(s.faults().get(2).describe()).isEqualTo("databaseRestart for 2m");
    }

    @Test
    void aBadGroundBlockOrGroundFaultIsRefusedNamingTheFieldAndTheValue() {
        assertThat(errors(scenario(sat("sat-1"), "  ground: {replicas: 9, database: oracle, zones: 2}"), INSTALLED))
                .contains("spec.ground.replicas: must be at most 4 (got 9)",
                        "spec.ground.database: must be one of: sqlite, postgres (got \"oracle\")")
                .anySatisfy(e -> assertThat(e).startsWith("spec.ground.zones"));
        assertThat(errors(scenario(sat("sat-1"), "  ground: {replicas: 2}"), INSTALLED))
                .anySatisfy(e -> assertThat(e).startsWith("spec.ground.replicas: several replicas share one database")
                        .endsWith("(got 2)"));
        assertThat(errors(scenario(sat("sat-1"), "  ground: {database: postgres}"), Optional::empty))
                .anySatisfy(e -> assertThat(e).startsWith("spec.ground.database:").contains("apt-get install postgresql"));
        assertThat(errors(scenario(sat("sat-1"), """
                  faults:
                    - {at: 1h, kind: databaseRestart}
                    - {at: 1h, kind: groundReplicaCrash, satellite: sat-1}
                """), INSTALLED))
                .contains("spec.faults[0].duration: is required for a databaseRestart")
                .anySatisfy(e -> assertThat(e).startsWith("spec.faults[0].kind: a databaseRestart needs ground on PostgreSQL"))
                .anySatisfy(e -> assertThat(e).startsWith("spec.faults[1].kind: a groundReplicaCrash needs at least 2 ground replicas"));
        assertThat(errors(scenario(sat("sat-1"), """
                  ground: {replicas: 2, database: postgres}
                  faults:
                    - {at: 1h, kind: groundReplicaCrash, replica: 3}
                    - {at: 1h, kind: groundReplicaCrash, replica: 1, satellite: sat-1}
                    - {at: 1h, kind: groundReplicaCrash}
                    - {at: 1h, kind: groundReplicaCrash, satellite: sat-9}
                    - {at: 1h, kind: databaseRestart, duration: 1m, satellite: sat-1, replica: 1}
                    - {at: 1h, kind: reboot, satellite: sat-1, duration: 1m, replica: 1}
                    - {at: 3h, kind: databaseRestart, duration: 1m}
                    - {at: 100m, kind: databaseRestart, duration: 20m}
                """), INSTALLED))
                .contains("spec.faults[0].replica: must be at most 2 (got 3)",
                        "spec.faults[3].satellite: names no satellite of this scenario (got \"sat-9\")",
                        "spec.faults[6].at: must fall within the scenario's duration (2h) (got \"3h\")",
                        "spec.faults[7].duration: a databaseRestart must end within the scenario's duration (2h; it "
                                + "starts at 100m) (got \"20m\")")
                .anySatisfy(e -> assertThat(e).startsWith("spec.faults[1].satellite: name either the satellite"))
                .anySatisfy(e -> assertThat(e).startsWith("spec.faults[2].satellite: is required for a groundReplicaCrash without a replica"))
                .anySatisfy(e -> assertThat(e).startsWith("spec.faults[4].satellite: a databaseRestart strikes ground"))
                .anySatisfy(e -> assertThat(e).startsWith("spec.faults[4].replica: only a groundReplicaCrash names a replica"))
                .anySatisfy(e -> assertThat(e).startsWith("spec.faults[5].replica: only a groundReplicaCrash names a replica"));
    }

    private static final String PIPELINE = """
            apiVersion: orchide.io/v1
            kind: Pipeline
            metadata: {name: %s%s}
            spec:
              triggers: [{onEvent: {name: go}}]
              steps:
                - name: s
                  template: {image: rootfs, runtime: {family: container, monitor: runc}}
            """;

    private void pipeline(String file, String name, String tenant) throws Exception {
        Files.writeString(dir.resolve(file), PIPELINE.formatted(name, tenant == null ? "" : ", tenant: " + tenant));
    }

    @Test
    void tenantsAreReadWithTheirQuotaAndTheNamesTheirManifestsDeclare() throws Exception {
        pipeline("ocean.yaml", "cloud-filter", null);
        pipeline("fire.yaml", "fire-watch", "fire-team");
        Scenario s = ScenarioReader.parse(scenario(sat("sat-1"), """
                  tenants:
                    - name: ocean-team
                      quota: {cpu: 2, memory: 1Gi, storage: 512Mi, uplink: 50Mi/d}
                      manifests: [ocean.yaml]
                    - name: fire-team
                      quota: {cpu: 0.5, apps: 0, pipelines: 2, images: 1Gi, products: 100Mi}
                      manifests: [fire.yaml]
                """), dir.resolve("s.yaml"));
        assertThat(s.tenants()).hasSize(2);
        TenantSpec ocean = s.tenants().get(0);
        assertThat(ocean.name()).isEqualTo("ocean-team");
        assertThat(ocean.quota()).isEqualTo(new Quota(2000L, 1L << 30, 512L << 20, 50L << 20));
        assertThat(ocean.quota().format()).isEqualTo("cpu=2,memory=1Gi,storage=512Mi,uplink=50Mi/d");
        assertThat(ocean.manifests()).containsExactly(dir.resolve("ocean.yaml"));
        assertThat(ocean.pipelines()).containsExactly("cloud-filter");
        TenantSpec fire = s.tenants().get(1);
        assertThat(fire.quota().format()).isEqualTo("cpu=500m,apps=0,pipelines=2,images=1Gi,products=100Mi");
        assertThat(fire.pipelines()).containsExactly("fire-watch");
        assertThat(s.manifests()).isEmpty();
        assertThat(ScenarioReader.parse(scenario(sat("sat-1"), ""), dir.resolve("s.yaml")).tenants()).isEmpty();
    }

    /** A tenant's model: its Model manifest, the file its digest names, the satellites an operator allows it on. */
    @Test
    void aTenantsModelsAreReadWithTheirFileAndSatellitesAndEveryMistakeNamed() throws Exception {
        pipeline("ocean.yaml", "cloud-filter", null);
        byte[] onnx = {8, 7, 18, 4, 't', 'e', 's', 't'};
        Files.write(dir.resolve("m.onnx"), onnx);
        Files.write(dir.resolve("other.onnx"), new byte[]{1, 2, 3});
        String digest = "sha256:" + java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(onnx));
        model("m.yaml", "cloud-mask", null, digest);
        model("theirs.yaml", "ship-detect", "fire-team", digest);
        Scenario s = ScenarioReader.parse(scenario(sat("sat-1") + "\n" + sat("sat-2"), """
                  tenants:
                    - name: ocean-team
                      manifests: [ocean.yaml]
                      models:
                        - {manifest: m.yaml, file: m.onnx, satellites: [sat-2]}
                """), dir.resolve("s.yaml"));
        TenantModel m = s.tenants().getFirst().models().getFirst();
        assertThat(m.name()).isEqualTo("cloud-mask");
        assertThat(m.model().spec().digest()).isEqualTo(digest);
        assertThat(m.file()).isEqualTo(dir.resolve("m.onnx"));
        assertThat(m.satellites()).containsExactly("sat-2");

        assertThat(errors(scenario(sat("sat-1"), """
                  tenants:
                    - name: ocean-team
                      manifests: [ocean.yaml]
                      models:
                        - {manifest: m.yaml, file: other.onnx, satellites: [sat-1, sat-9]}
                        - {manifest: theirs.yaml, file: m.onnx, satellites: [sat-1]}
                        - {manifest: ocean.yaml, file: missing.onnx, satellites: []}
                        - {manifest: m.yaml, file: m.onnx}
                """), INSTALLED)).contains(
                "spec.tenants[0].models[0].file: holds sha256:039058c6f2c0cb492c533b0a4d14ef77cc0f78abccced5287d84a1a2011cfb81, not the "
                        + digest + " that Model cloud-mask's spec.digest names (got \"other.onnx\")",
                "spec.tenants[0].models[0].satellites[1]: is not a satellite of this scenario (got \"sat-9\")",
                "spec.tenants[0].models[1].manifest: Model ship-detect names tenant fire-team in its metadata.tenant, but is "
                        + "listed under tenant ocean-team: drop metadata.tenant or list it under fire-team (got \"theirs.yaml\")",
                "spec.tenants[0].models[2].manifest: must hold one Model manifest (holds Pipeline) (got \"ocean.yaml\")",
                "spec.tenants[0].models[2].satellites: must name at least one satellite (got [])",
                "spec.tenants[0].models[3].manifest: Model cloud-mask is listed already for this tenant (got \"m.yaml\")",
                "spec.tenants[0].models[3].satellites: is required")
                .anySatisfy(e -> assertThat(e).startsWith("spec.tenants[0].models[2].file: no such file"));
    }

    private void model(String file, String name, String tenant, String digest) throws Exception {
        Files.writeString(dir.resolve(file), """
                apiVersion: orchide.io/v1
                kind: Model
                metadata: {name: %s%s}
                spec: {digest: "%s", version: "1", accelerators: [cpu]}
                """.formatted(name, tenant == null ? "" : ", tenant: " + tenant, digest));
    }

    @Test
    void aBadTenantsBlockIsRefusedNamingTheFieldAndTheValue() throws Exception {
        pipeline("ocean.yaml", "cloud-filter", null);
        pipeline("theirs.yaml", "other", "ocean-team");
        Files.writeString(dir.resolve("broken.yaml"), "apiVersion: orchide.io/v1\nkind: Pipeline\nmetadata: {name: x}\n");
        assertThat(errors(scenario(sat("sat-1"), """
                  tenants:
                    - name: Ocean_Team
                      manifests: [ocean.yaml]
                    - name: ocean-team
                      manifests: [ocean.yaml]
                    - name: default
                      manifests: [ocean.yaml]
                    - name: fire-team
                      quota: {cpu: -1, memory: lots, uplink: 50Mi, disk: 1Gi, pipelines: -2}
                      manifests: [theirs.yaml, missing.yaml, broken.yaml]
                    - name: fire-team
                      manifests: []
                    - name: ice-team
                      manifests: [ocean.yaml]
                    - name: sun-team
                """), INSTALLED))
                .anySatisfy(e -> assertThat(e).startsWith("spec.tenants[0].name:").endsWith("(got \"Ocean_Team\")"))
                .anySatisfy(e -> assertThat(e).startsWith("spec.tenants[2].name: is what a manifest without a tenant reads as"))
                .contains("spec.tenants[3].quota.cpu: must be within [0.001, 4096] (got -1)",
                        "spec.tenants[3].quota.uplink: must be bytes per day, such as 50Mi/d (got \"50Mi\")",
                        "spec.tenants[4].name: names another tenant already (got \"fire-team\")",
                        "spec.tenants[4].manifests: must name at least one manifest file (got [])",
                        "spec.tenants[6].manifests: is required")
                .anySatisfy(e -> assertThat(e).startsWith("spec.tenants[3].quota.memory:").endsWith("(got \"lots\")"))
                .anySatisfy(e -> assertThat(e).startsWith("spec.tenants[3].quota.disk: unknown field"))
                .anySatisfy(e -> assertThat(e).startsWith("spec.tenants[3].quota.pipelines:").endsWith("(got -2)"))
                .anySatisfy(e -> assertThat(e).startsWith("spec.tenants[3].manifests[0]: Pipeline other names tenant "
                        + "ocean-team in its metadata.tenant, but is listed under tenant fire-team"))
                .anySatisfy(e -> assertThat(e).startsWith("spec.tenants[3].manifests[1]: no such file"))
                .anySatisfy(e -> assertThat(e).startsWith("spec.tenants[3].manifests[2]: is not a valid manifest"))
                .anySatisfy(e -> assertThat(e).startsWith("spec.tenants[5].manifests[0]: Pipeline cloud-filter is "
                        + "declared by tenant ocean-team already"));
    }

    @Test
    void aNodeSimulatesTheAcceleratorsItDeclaresForTheNodesDevicesFile() throws Exception {
        Scenario s = ScenarioReader.parse(scenario(sat("sat-1") + "\n      node: {accelerators: [{name: gpu-0, class: gpu}]}",
                ""), dir.resolve("s.yaml"), INSTALLED);

        NodeSpec node = s.satellites().getFirst().node();
        assertThat(node.accelerators()).containsExactly(new NodeSpec.Accelerator("gpu-0", "gpu"));
        assertThat(io.orchide.node.device.DevicesFile.parse(node.devicesFile()).devices())
                .extracting(d -> d.name() + " " + d.deviceClass()).containsExactly("gpu-0 gpu");
    }

    @Test
    void aBadSimulatedAcceleratorIsRefusedNamingTheFieldAndTheValue() {
        assertThat(errors(scenario(sat("sat-1") + "\n      node: {accelerators: [{name: gpu-0, class: tpu}, "
                + "{name: gpu-0, class: gpu}, {name: GPU, class: gpu}]}", ""), INSTALLED))
                .anySatisfy(e -> assertThat(e).startsWith("spec.satellites[0].node.accelerators[0].class: must be one of")
                        .contains("tpu"))
                .anySatisfy(e -> assertThat(e).startsWith("spec.satellites[0].node.accelerators[1].name: names another"))
                .anySatisfy(e -> assertThat(e).startsWith("spec.satellites[0].node.accelerators[2].name:").contains("GPU"));
    }

    private List<String> errors(String text, Supplier<Optional<Path>> postgres) {
        try {
            ScenarioReader.parse(text, dir.resolve("s.yaml"), postgres);
        } catch (ManifestException e) {
            return e.errors().stream().map(FieldError::toString).toList();
        }
        throw new AssertionError("accepted: " + text);
    }
}
