package io.orchide.model;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class DeviceGrantManifestTest {
    private static final String FULL = """
            apiVersion: orchide.io/v1
            kind: DeviceGrant
            metadata: {name: ocean-camera, tenant: ocean-team}
            spec:
              device: camera-1
              pipelines: [ship-detect]
              verbs: [capture, read]
              windows:
                utc: ["22:00-02:00", "06:00-18:00"]
                region: {minLat: 35, maxLat: 71, minLon: -25, maxLon: 45}
                sunlight: true
              quota: {perOrbit: 40, perDay: 200}
              rateLimit: {requests: 2, per: 1m}
            """;

    @Test
    void readsDeviceVerbsWindowsQuotaAndRate() throws ManifestException {
        DeviceGrant g = Manifests.parseDeviceGrant(FULL);
        DeviceGrantSpec s = g.spec();
        assertThat(s.device()).isEqualTo("camera-1");
        assertThat(s.verbs()).isEqualTo(Set.of(DeviceGrantSpec.Verb.CAPTURE, DeviceGrantSpec.Verb.READ));
        assertThat(s.windows().utc().getFirst().contains(LocalTime.of(1, 0))).isTrue();
        assertThat(s.windows().utc().getFirst().contains(LocalTime.of(3, 0))).isFalse();
        assertThat(s.windows().region().contains(48.0, 2.0)).isTrue();
        assertThat(s.windows().sunlight()).isTrue();
        assertThat(s.quota()).isEqualTo(new DeviceGrantSpec.Quota(40, 200));
        assertThat(s.rateLimit()).isEqualTo(new DeviceGrantSpec.RateLimit(2, Duration.ofMinutes(1)));
        assertThat(g.covers("ocean-team", "pipeline", "ship-detect")).isTrue();
        assertThat(g.covers("ocean-team", "pipeline", "other")).isFalse();
        assertThat(g.covers("fire-team", "pipeline", "ship-detect")).isFalse();
    }

    @Test
    void writesWhatItReads() throws ManifestException {
        DeviceGrant g = Manifests.parseDeviceGrant(FULL);
        assertThat(Manifests.parseDeviceGrant(Manifests.toYaml(g))).isEqualTo(g);
        assertThat(Manifests.parseAll(Manifests.toJson(g), null)).containsExactly(g);
    }

    @Test
    void aGrantWithoutVerbsIsRefusedNamingTheField() {
        ManifestException e = catchThrowableOfType(ManifestException.class, () -> Manifests.parseDeviceGrant("""
                apiVersion: orchide.io/v1
                kind: DeviceGrant
                metadata: {name: g, tenant: t}
                spec: {device: gnss-1}
                """));
        assertThat(e.errors()).extracting(FieldError::path).containsExactly("spec.verbs");
    }

    @Test
    void aRegionCrossingTheAntimeridianHoldsOnBothSides() {
        DeviceGrantSpec.Region pacific = new DeviceGrantSpec.Region(-10, 10, 170, -170);
        assertThat(List.of(pacific.contains(0, 175), pacific.contains(0, -175), pacific.contains(0, 0)))
                .containsExactly(true, true, false);
    }
}
