package io.orchide.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The check the ground stand-in applies to its answers: it passes what ground answers and fails what it never could. */
class GroundOpenApiTest {
    @Test
    void anAnswerGroundGivesPasses() {
        assertThatCode(() -> GroundOpenApi.check("GET", "/api/v1/satellites/sat-1/workloads", 200,
                "{\"items\":[{\"node\":\"n1\",\"name\":\"hello\",\"state\":\"Running\",\"since\":null,\"restarts\":0}]}"))
                .doesNotThrowAnyException();
        assertThatCode(() -> GroundOpenApi.check("GET", "/api/v1/satellites/sat-1", 404,
                "{\"code\":\"not_found\",\"message\":\"no satellite sat-1\"}")).doesNotThrowAnyException();
    }

    @Test
    void aFieldGroundDoesNotWriteAWrongTypeOrAMissingRequiredFieldFails() {
        assertThatThrownBy(() -> GroundOpenApi.check("GET", "/api/v1/satellites/sat-1/workloads", 200,
                "{\"items\":[{\"node\":\"n1\",\"workload\":\"hello\",\"restarts\":\"0\"}]}"))
                .hasMessageContaining("$.items[0].workload: no such field")
                .hasMessageContaining("$.items[0].restarts: string where the API has [integer]");
        assertThatThrownBy(() -> GroundOpenApi.check("GET", "/api/v1/satellites", 200, "{}"))
                .hasMessageContaining("missing required field items");
        assertThatThrownBy(() -> GroundOpenApi.check("GET", "/api/v1/satellites/sat-1", 404, "{\"error\":\"gone\"}"))
                .hasMessageContaining("missing required field code");
    }

    @Test
    void aRouteOrStatusGroundDoesNotHaveFails() {
        assertThatThrownBy(() -> GroundOpenApi.check("GET", "/api/v1/fleet", 200, "{}"))
                .hasMessageContaining("ground's API has no GET /api/v1/fleet");
        assertThatThrownBy(() -> GroundOpenApi.check("POST", "/api/v1/images", 200, "{}"))
                .hasMessageContaining("never answers POST /api/v1/images with 200");
    }
}
