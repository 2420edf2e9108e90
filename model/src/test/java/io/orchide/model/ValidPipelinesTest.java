package io.orchide.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every Pipeline under manifests/valid, and every example under examples/pipelines, parses and round-trips through
 * JSON and YAML to an equal Pipeline.
 */
class ValidPipelinesTest {
    private static final Path EXAMPLES = Path.of("..", "examples", "pipelines");

    static Stream<Path> valid() throws IOException {
        List<Path> examples;
        try (Stream<Path> s = Files.list(EXAMPLES)) {
            examples = s.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
        return Stream.concat(Corpus.files("valid", Pipeline.KIND), examples.stream());
    }

    @Test
    void theCorpusHasPipelinesAndTheExamplesAreFound() throws IOException {
        assertThat(Corpus.files("valid", Pipeline.KIND).count()).isGreaterThanOrEqualTo(3);
        assertThat(valid().map(p -> p.getFileName().toString())).contains("cloud-filter.yaml", "ship-count.yaml");
    }

    @Test
    void thePipelineExamplesOfTheReferenceParse() throws ManifestException {
        String doc = Corpus.read(Path.of("..", "docs", "manifest-reference.md"));
        Matcher m = Pattern.compile("(?s)```yaml\n(.*?)```").matcher(doc);
        int pipelines = 0;
        while (m.find()) {
            if (!m.group(1).contains("kind: Pipeline")) continue;
            Pipeline p = Manifests.parsePipeline(m.group(1), Arch.X86_64);
            assertThat(Manifests.pipelineFromJson(Manifests.toJson(p))).isEqualTo(p);
            pipelines++;
        }
        assertThat(pipelines).isEqualTo(2);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void roundTripsThroughJson(Path file) throws ManifestException {
        Pipeline p = Manifests.parsePipeline(Corpus.read(file), Arch.X86_64);
        String json = Manifests.toJson(p);
        Pipeline back = Manifests.pipelineFromJson(json);
        assertThat(back).isEqualTo(p);
        assertThat(Manifests.toJson(back)).isEqualTo(json);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void roundTripsThroughYaml(Path file) throws ManifestException {
        Pipeline p = Manifests.parsePipeline(Corpus.read(file), Arch.X86_64);
        String yaml = Manifests.toYaml(p);
        assertThat(Manifests.parsePipeline(yaml, Arch.X86_64)).as(yaml).isEqualTo(p);
        assertThat(yaml).startsWith("apiVersion: orchide.io/v1\nkind: Pipeline\n");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void parseAllGivesTheSamePipeline(Path file) throws ManifestException {
        Pipeline p = Manifests.parsePipeline(Corpus.read(file), Arch.X86_64);
        assertThat(Manifests.parseAll(Corpus.read(file), Arch.X86_64)).containsExactly(p);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void everyStepComesAfterItsAncestors(Path file) throws ManifestException {
        Pipeline p = Manifests.parsePipeline(Corpus.read(file), Arch.X86_64);
        List<String> order = p.topologicalOrder().stream().map(Step::name).toList();
        assertThat(order).containsExactlyInAnyOrderElementsOf(p.spec().steps().stream().map(Step::name).toList());
        for (Step s : p.spec().steps()) {
            for (String a : p.ancestors(s.name())) assertThat(order.indexOf(a)).isLessThan(order.indexOf(s.name()));
        }
    }
}
