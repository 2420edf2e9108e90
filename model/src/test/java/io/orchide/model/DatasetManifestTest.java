package io.orchide.model;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class DatasetManifestTest {
    private static final String FULL = """
            apiVersion: orchide.io/v1
            kind: Dataset
            metadata: {name: archive, tenant: ocean-team}
            spec:
              quota: {bytes: 2Gi, files: 1000}
              retention: {maxAge: 7d, keepLast: 100}
              access:
                read: {tenants: [ocean-team, fire-team]}
                write: {pipelines: [ship-detect], apps: [ingest]}
            """;

    @Test
    void readsQuotaRetentionAndAccess() throws ManifestException {
        Dataset d = Manifests.parseDataset(FULL);
        assertThat(d.name()).isEqualTo("archive");
        assertThat(d.metadata().tenant()).isEqualTo("ocean-team");
        assertThat(d.spec().quota()).isEqualTo(new DatasetSpec.Quota(2L << 30, 1000));
        assertThat(d.spec().retention()).isEqualTo(new DatasetSpec.Retention(Duration.ofDays(7), 100));
        assertThat(d.readableBy("fire-team", DatasetSpec.Principals.PIPELINE, "any")).isTrue();
        assertThat(d.readableBy("other", DatasetSpec.Principals.PIPELINE, "ship-detect")).isFalse();
        assertThat(d.writableBy("fire-team", DatasetSpec.Principals.PIPELINE, "ship-detect")).isTrue();
        assertThat(d.writableBy("ocean-team", DatasetSpec.Principals.PIPELINE, "other")).isFalse();
        assertThat(d.writableBy("ocean-team", DatasetSpec.Principals.APP, "ingest")).isTrue();
    }

    @Test
    void withoutSpecOnlyItsTenantMayReadAndWriteAndNothingIsLimited() throws ManifestException {
        Dataset d = Manifests.parseDataset("""
                apiVersion: orchide.io/v1
                kind: Dataset
                metadata: {name: scratch, tenant: fire-team}
                """);
        assertThat(d.spec()).isEqualTo(new DatasetSpec(null, null, null));
        assertThat(d.spec().quota().limited()).isFalse();
        assertThat(d.readableBy("fire-team", DatasetSpec.Principals.PIPELINE, "p")).isTrue();
        assertThat(d.writableBy("fire-team", DatasetSpec.Principals.APP, "a")).isTrue();
        assertThat(d.readableBy("ocean-team", DatasetSpec.Principals.PIPELINE, "p")).isFalse();
    }

    @Test
    void writesAndReadsBackTheSameDataset() throws ManifestException {
        Dataset d = Manifests.parseDataset(FULL);
        assertThat(Manifests.parseDataset(Manifests.toJson(d))).isEqualTo(d);
        assertThat(Manifests.parseDataset(Manifests.toYaml(d))).isEqualTo(d);
        assertThat(Manifests.parseAll(FULL, null)).containsExactly(d);
    }

    @Test
    void reportsEveryBadFieldAtOnceWithItsPathAndValue() {
        ManifestException e = catchThrowableOfType(ManifestException.class, () -> Manifests.parseDataset("""
                apiVersion: orchide.io/v1
                kind: Dataset
                metadata: {name: Archive}
                spec:
                  quota: {bytes: 2 gigs, files: 0, inodes: 3}
                  retention: {maxAge: 0s, keepLast: -1}
                  access:
                    read: {}
                    write: {tenants: [Fire_Team]}
                  owner: me
                """));
        assertThat(e.errors()).extracting(FieldError::path).containsExactlyInAnyOrder(
                "metadata.name", "spec.quota.bytes", "spec.quota.files", "spec.quota.inodes",
                "spec.retention.maxAge", "spec.retention.keepLast", "spec.access.read",
                "spec.access.write.tenants[0]", "spec.owner");
        assertThat(e.errors()).filteredOn(f -> f.path().equals("spec.quota.bytes")).singleElement()
                .satisfies(f -> assertThat(f.value()).isEqualTo("\"2 gigs\""));
        assertThat(e.errors()).filteredOn(f -> f.path().equals("spec.retention.maxAge")).singleElement()
                .satisfies(f -> assertThat(f.message()).contains("positive"));
    }

    @Test
    void anUnknownKindNamesDatasetAmongTheKnownOnes() {
        ManifestException e = catchThrowableOfType(ManifestException.class, () -> Manifests.parseAll("""
                apiVersion: orchide.io/v1
                kind: Bucket
                metadata: {name: x}
                """, null));
        assertThat(e.errors()).singleElement().satisfies(f -> assertThat(f.message()).contains("Dataset"));
        assertThat(List.of(Manifest.class.getPermittedSubclasses())).contains(Dataset.class);
    }
}
