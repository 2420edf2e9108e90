package io.orchide.model;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Every error the manifest reference quotes (its App "Errors" and "Pipeline errors", and the errors in the text of
 * the Pipeline sections) is an error that {@code orchide apply -f} of a manifest of the broken corpus (or of the
 * reference's own example) prints, word for word ({@code ...} in a quote stands for text it leaves out): the
 * CLI reads a file with {@link Manifests#parseAll} and no node architecture, and prints each error on its line.
 */
class ReferenceErrorQuotesTest {

    @Test
    void everyQuotedPipelineErrorIsWhatTheModelSays() {
        List<String> quoted = quotes();
        List<String> produced = BrokenManifestsTest.broken()
                .map(Corpus::read)
                .filter(t -> t.contains("kind: Pipeline"))
                .flatMap(ReferenceErrorQuotesTest::applyErrors)
                .toList();

        assertThat(quoted).hasSizeGreaterThanOrEqualTo(10);
        assertThat(quoted).allSatisfy(q -> assertThat(produced)
                .as("an error of the broken corpus that reads %s", q)
                .anyMatch(p -> pattern(q).matcher(p).matches()));
    }

    @Test
    void theAppErrorExampleIsRejectedWithExactlyTheQuotedErrors() throws Exception {
        String section = section("Errors");
        Matcher m = Pattern.compile("(?s)```yaml\n(.*?)```\\s*is rejected with:\\s*```\n(.*?)```").matcher(section);
        assertThat(m.find()).as("the Errors section has an example manifest and its errors").isTrue();

        ManifestException e = catchThrowableOfType(ManifestException.class, () -> Manifests.parseAll(m.group(1), null));

        assertThat(e.errors()).extracting(FieldError::toString)
                .containsExactlyInAnyOrderElementsOf(m.group(2).lines().filter(l -> !l.isBlank()).toList());
    }

    @Test
    void everyFurtherQuotedAppErrorIsWhatTheModelSays() {
        Matcher m = Pattern.compile("(?s)More examples:\\s*```\n(.*?)```").matcher(section("Errors"));
        assertThat(m.find()).as("the Errors section has more examples").isTrue();
        List<String> quoted = m.group(1).lines().filter(l -> !l.isBlank()).toList();
        List<String> produced = BrokenManifestsTest.broken()
                .map(Corpus::read)
                .flatMap(ReferenceErrorQuotesTest::applyErrors)
                .toList();

        assertThat(quoted).allSatisfy(q -> assertThat(produced)
                .as("an error of the broken corpus that reads %s", q)
                .anyMatch(p -> pattern(q).matcher(p).matches()));
    }

    /** What {@code orchide apply -f} prints for {@code text}, one error a line; none where it needs a node's arch. */
    private static Stream<String> applyErrors(String text) {
        ManifestException e = catchThrowableOfType(ManifestException.class, () -> Manifests.parseAll(text, null));
        return e == null ? Stream.empty() : e.errors().stream().map(FieldError::toString);
    }

    /**
     * The lines of the code block under the reference's "## Pipeline errors", and the errors quoted in the text of
     * the Pipeline sections before it ({@code `spec.... (got ...)`}, possibly broken over lines).
     */
    private static List<String> quotes() {
        Matcher m = Pattern.compile("(?s)```\n(.*?)```").matcher(section("Pipeline errors"));
        assertThat(m.find()).as("manifest-reference.md has a Pipeline errors block").isTrue();
        List<String> quotes = new ArrayList<>(m.group(1).lines().filter(l -> !l.isBlank()).toList());
        String doc = Corpus.read(Path.of("..", "docs", "manifest-reference.md"));
        String text = doc.substring(doc.indexOf("\n## Pipeline `spec`"), doc.indexOf("\n## Pipeline errors"))
                .replaceAll("\\s*\n\\s*", " ");
        Matcher inline = Pattern.compile("`(spec\\.[^`]*\\(got [^`]*\\))`").matcher(text);
        int before = quotes.size();
        while (inline.find()) quotes.add(inline.group(1));
        assertThat(quotes.size()).as("quotes in the text of the Pipeline sections").isGreaterThan(before);
        return quotes;
    }

    /** The reference's section {@code ## title}, up to the next section. */
    private static String section(String title) {
        String doc = Corpus.read(Path.of("..", "docs", "manifest-reference.md"));
        Matcher m = Pattern.compile("(?s)\n## " + Pattern.quote(title) + "\n(.*?)(?=\n## |$)").matcher(doc);
        assertThat(m.find()).as("manifest-reference.md has a section %s", title).isTrue();
        return m.group(1);
    }

    private static Pattern pattern(String quote) {
        StringBuilder re = new StringBuilder();
        String[] parts = quote.split("\\.\\.\\.", -1);
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) re.append(".*");
            re.append(Pattern.quote(parts[i]));
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }
}
