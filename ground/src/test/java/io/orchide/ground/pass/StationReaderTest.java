package io.orchide.ground.pass;

import io.orchide.model.FieldError;
import io.orchide.model.ManifestException;
import io.orchide.model.codec.TreeParser;
import io.orchide.orbit.GroundStation;
import io.orchide.testkit.Repo;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** kind: GroundStation as docs/manifest-reference.md shows it: the example reads, and every error is named at once. */
class StationReaderTest {
    static String example() throws Exception {
        String doc = Files.readString(Repo.resolve("docs/manifest-reference.md"));
        Matcher m = Pattern.compile("(?s)```yaml\n(apiVersion: orchide.io/v1\nkind: GroundStation\n.*?)```").matcher(doc);
        assertThat(m.find()).as("manifest-reference.md has a GroundStation example").isTrue();
        return m.group(1);
    }

    @Test
    void theReferencesExampleReads() throws Exception {
        GroundStation s = StationReader.read(TreeParser.documents(example()).getFirst());
        assertThat(s).isEqualTo(new GroundStation("svalbard", 78.23, 15.39, 500, 5, 256_000, 100_000_000));
    }

    @Test
    void everyErrorIsNamedAtOnceWithItsPathAsTheReferenceQuotesIt() throws Exception {
        String bad = example().replace("latitude: 78.23", "latitude: 95").replace("downlinkRate: 100M", "downlinkRate: fast")
                .replace("  uplinkRate: 256k\n", "").replace("name: svalbard", "name: Svalbard");
        ManifestException e = catchThrowableOfType(ManifestException.class,
                () -> StationReader.read(TreeParser.documents(bad).getFirst()));
        assertThat(e.errors()).extracting(FieldError::path)
                .containsExactlyInAnyOrder("metadata.name", "spec.latitude", "spec.uplinkRate", "spec.downlinkRate");
        String doc = Files.readString(Repo.resolve("docs/manifest-reference.md"));
        for (FieldError fe : e.errors()) {
            if (fe.path().equals("spec.latitude") || fe.path().equals("spec.downlinkRate")) {
                assertThat(doc).contains(fe.path() + ": " + fe.message());
            }
        }
    }
}
