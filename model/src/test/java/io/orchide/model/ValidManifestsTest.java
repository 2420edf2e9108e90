package io.orchide.model;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Every App under manifests/valid parses and round-trips through JSON and YAML to an equal App. */
class ValidManifestsTest {
    static Stream<Path> valid() {
        return Corpus.files("valid", App.KIND);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void roundTripsThroughJson(Path file) throws ManifestException {
        App app = Manifests.parseApp(Corpus.read(file), Arch.X86_64);
        String json = Manifests.toJson(app);
        App back = Manifests.fromJson(json);
        assertThat(back).isEqualTo(app);
        assertThat(Manifests.toJson(back)).isEqualTo(json);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void roundTripsThroughYaml(Path file) throws ManifestException {
        App app = Manifests.parseApp(Corpus.read(file), Arch.X86_64);
        String yaml = Manifests.toYaml(app);
        assertThat(Manifests.parseApp(yaml, Arch.X86_64)).as(yaml).isEqualTo(app);
        assertThat(yaml).startsWith("apiVersion: orchide.io/v1\nkind: App\n");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void theJsonIsAlsoAValidManifestForAnyNode(Path file) throws ManifestException {
        App app = Manifests.parseApp(Corpus.read(file), Arch.X86_64);
        assertThat(Manifests.parseApp(Manifests.toJson(app), Arch.X86_64)).isEqualTo(app);
    }
}
