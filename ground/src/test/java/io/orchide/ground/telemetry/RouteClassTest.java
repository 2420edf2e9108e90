package io.orchide.ground.telemetry;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A request's route class is one of a fixed set, whatever path a client sends: no name ever becomes a label. */
class RouteClassTest {
    @Test
    void pathsMapToTheirClassWithoutNames() {
        assertThat(RouteClass.of("/api/v1/satellites")).isEqualTo("satellites");
        assertThat(RouteClass.of("/api/v1/satellites/sat-1")).isEqualTo("satellites");
        assertThat(RouteClass.of("/api/v1/satellites/sat-1/apply")).isEqualTo("satellites/apply");
        assertThat(RouteClass.of("/api/v1/satellites/sat-1/apps/greeter")).isEqualTo("satellites/apps");
        assertThat(RouteClass.of("/api/v1/satellites/sat-1/whatever")).isEqualTo("other");
        assertThat(RouteClass.of("/api/v1/products/17/content")).isEqualTo("products");
        assertThat(RouteClass.of("/api/v1/tokens/3f9a0c1b2d4e")).isEqualTo("tokens");
        assertThat(RouteClass.of("/api/v1/openapi.json")).isEqualTo("openapi.json");
        assertThat(RouteClass.of("/metrics")).isEqualTo("metrics");
        assertThat(RouteClass.of("/api/v1/sat-1")).isEqualTo("other");
        assertThat(RouteClass.of("/etc/passwd")).isEqualTo("other");
        assertThat(RouteClass.method("GET")).isEqualTo("GET");
        assertThat(RouteClass.method("BREW")).isEqualTo("other");
    }
}
