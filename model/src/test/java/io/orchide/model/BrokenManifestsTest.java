package io.orchide.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Every manifest under manifests/broken is rejected with exactly the field paths its {@code # expect:} lines name;
 * an expectation {@code # expect: PATH (got VALUE)} also requires the error at PATH to name VALUE. A manifest is read
 * with {@link Manifests#parseApp} unless a {@code # parse: pipeline} line says {@link Manifests#parsePipeline}, or
 * {@code # parse: all} says {@link Manifests#parseAll}.
 */
class BrokenManifestsTest {
    private static final Pattern EXPECT = Pattern.compile("# expect: (.*?)(?: \\(got (.*)\\))?");

    static Stream<Path> broken() {
        return Corpus.files("broken");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("broken")
    void isRejectedWithTheExpectedPaths(Path file) {
        String text = Corpus.read(file);
        Map<String, String> expected = expectations(text);
        assertThat(expected).as("%s has # expect: lines", file.getFileName()).isNotEmpty();

        ManifestException e = catchThrowableOfType(ManifestException.class, () -> parse(text));

        assertThat(e).as("%s is rejected", file.getFileName()).isNotNull();
        List<String> paths = e.errors().stream().map(FieldError::path).toList();
        assertThat(paths).as("error paths of %s: %s", file.getFileName(), e.getMessage())
                .containsExactlyInAnyOrderElementsOf(expected.keySet());
        for (FieldError error : e.errors()) {
            assertThat(error.message()).isNotBlank();
            if (error.value() != null) assertThat(error.toString()).contains("(got " + error.value() + ")");
        }
        expected.forEach((path, value) -> {
            if (value == null) return;
            assertThat(e.errors()).as("error at %s names %s", path, value)
                    .anyMatch(err -> err.path().equals(path) && value.equals(err.value()));
            assertThat(e.getMessage()).contains(path + ": ").contains("(got " + value + ")");
        });
    }

    /** Parses with the reader the file's {@code # parse:} line names, parseApp by default. */
    static Object parse(String text) throws ManifestException {
        String parser = text.lines().filter(l -> l.startsWith("# parse: ")).map(l -> l.substring(9).strip())
                .findFirst().orElse("app");
        return switch (parser) {
            case "app" -> Manifests.parseApp(text, Arch.X86_64);
            case "pipeline" -> Manifests.parsePipeline(text, Arch.X86_64);
            case "all" -> Manifests.parseAll(text, Arch.X86_64);
            default -> throw new IllegalArgumentException("unknown # parse: " + parser);
        };
    }

    static Stream<Path> brokenPipelines() {
        return broken().filter(f -> Corpus.read(f).contains("# parse: pipeline"));
    }

    @Test
    void theCorpusIsLargeAndOneManifestHasManyErrors() {
        assertThat(broken().count()).isGreaterThanOrEqualTo(25);
        assertThat(brokenPipelines().count()).isGreaterThanOrEqualTo(25);
        assertThat(brokenPipelines().mapToInt(f -> expectations(Corpus.read(f)).size()).max().orElse(0))
                .isGreaterThanOrEqualTo(5);
        assertThat(broken().mapToInt(f -> expectations(Corpus.read(f)).size()).max().orElse(0))
                .isGreaterThanOrEqualTo(5);
    }

    @Test
    void syntaxErrorsGiveLineAndColumn() {
        String text = Corpus.read(broken().filter(f -> f.toString().contains("01-yaml-syntax")).findFirst().orElseThrow());
        ManifestException e = catchThrowableOfType(ManifestException.class, () -> Manifests.parseApp(text, Arch.X86_64));
        assertThat(e.errors()).singleElement().satisfies(err -> assertThat(err.message())
                .startsWith("YAML syntax error at line ").contains("column"));
    }

    static Map<String, String> expectations(String text) {
        Map<String, String> expected = new LinkedHashMap<>();
        List<String> unmatched = new ArrayList<>();
        for (String line : text.lines().toList()) {
            if (!line.startsWith("# expect:")) continue;
            Matcher m = EXPECT.matcher(line);
            if (!m.matches()) {
                unmatched.add(line);
                continue;
            }
            String path = m.group(1).equals("\"\"") ? "" : m.group(1);
            expected.put(path, m.group(2));
        }
        assertThat(unmatched).isEmpty();
        return expected;
    }
}
