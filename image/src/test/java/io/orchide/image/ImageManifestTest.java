package io.orchide.image;

import io.orchide.model.FieldError;
import io.orchide.model.ManifestException;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ImageManifestTest {
    static final String A = "sha256:" + "a".repeat(64);
    static final String B = "sha256:" + "b".repeat(64);
    static final String D = "sha256:" + "d".repeat(64);

    @Test
    void ofAFileGivesTheWholeDigestAndChunksThatAddUp(@TempDir Path dir) throws IOException {
        byte[] data = TestData.random(31, 500_000);
        Path f = dir.resolve("img");
        Files.write(f, data);
        ImageManifest m = ImageManifest.of(f);
        assertThat(m.digest()).isEqualTo(Digests.sha256(data, 0, data.length));
        assertThat(m.size()).isEqualTo(data.length);
        assertThat(m.chunks().stream().mapToLong(ChunkRef::size).sum()).isEqualTo(data.length);
        assertThat(m.chunks().get(0).digest()).isEqualTo(Digests.sha256(data, 0, (int) m.chunks().get(0).size()));
    }

    @Test
    void compactJsonRoundTrips(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("img");
        Files.write(f, TestData.random(32, 300_000));
        ImageManifest m = ImageManifest.of(f);
        byte[] json = m.toJson();
        assertThat(ImageManifest.fromJson(json)).isEqualTo(m);
        assertThat(new String(json, StandardCharsets.UTF_8))
                .startsWith("{\"digest\":\"" + m.digest() + "\",\"size\":300000,\"chunks\":[[\"sha256:");
        ImageManifest empty = new ImageManifest(ImageManifest.EMPTY_DIGEST, 0, List.of());
        assertThat(ImageManifest.fromJson(empty.toJson())).isEqualTo(empty);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
        "digest missing      | {'size':3,'chunks':[['@A',3]]}                          | digest       | ",
        "digest not sha256   | {'digest':'md5:x','size':3,'chunks':[['@A',3]]}         | digest       | md5:x",
        "digest upper case   | {'digest':'@U','size':3,'chunks':[['@A',3]]}            | digest       | @U",
        "digest a number     | {'digest':7,'size':3,'chunks':[['@A',3]]}               | digest       | 7",
        "size missing        | {'digest':'@D','chunks':[['@A',3]]}                     | size         | ",
        "size negative       | {'digest':'@D','size':-1,'chunks':[]}                   | size         | -1",
        "size a string       | {'digest':'@D','size':'3','chunks':[['@A',3]]}          | size         | 3",
        "size a fraction     | {'digest':'@D','size':3.5,'chunks':[['@A',3]]}          | size         | 3.5",
        "size not the sum    | {'digest':'@D','size':4,'chunks':[['@A',3]]}            | size         | 4",
        "chunks missing      | {'digest':'@D','size':3}                                | chunks       | ",
        "chunks an object    | {'digest':'@D','size':3,'chunks':{}}                    | chunks       | {}",
        "chunk not a pair    | {'digest':'@D','size':3,'chunks':[['@A']]}              | chunks[0]    | ['@A']",
        "chunk digest bad    | {'digest':'@D','size':5,'chunks':[['@A',3],['sha256:zz',2]]} | chunks[1][0] | sha256:zz",
        "chunk size zero     | {'digest':'@D','size':3,'chunks':[['@A',3],['@B',0]]}   | chunks[1][1] | 0",
        "chunk size too big  | {'digest':'@D','size':2000000,'chunks':[['@A',2000000]]} | chunks[0][1] | 2000000",
        "chunk size a string | {'digest':'@D','size':3,'chunks':[['@A','3']]}          | chunks[0][1] | 3",
        "unknown field       | {'digest':'@D','size':3,'chunks':[['@A',3]],'extra':1}  | extra        | ",
        "empty, wrong digest | {'digest':'@D','size':0,'chunks':[]}                    | digest       | @D",
        "not an object       | [1,2]                                                   | ~~           | [1,2]",
    })
    void everyBadFieldIsRefusedByItsPathAndValue(String why, String json, String path, String value) {
        String doc = expand(json);
        ManifestException e = catchThrowableOfType(ManifestException.class,
                () -> ImageManifest.fromJson(doc.getBytes(StandardCharsets.UTF_8)));
        assertThat(e).as(why).isNotNull();
        String expectedValue = value == null ? null : expand(value);
        assertThat(e.errors()).as(why).extracting(FieldError::path, FieldError::value)
                .contains(Tuple.tuple(path, expectedValue));
        assertThat(e.getMessage()).contains(path);
    }

    /** Single quotes stand for double quotes, and @A, @B, @D, @U for whole digests (@U: upper-case hex). */
    private static String expand(String s) {
        return s.replace('\'', '"').replace("@A", A).replace("@B", B).replace("@D", D)
                .replace("@U", D.toUpperCase());
    }

    @Test
    void everyErrorIsReportedAtOnce() {
        String json = "{\"digest\":\"x\",\"size\":-5,\"chunks\":[[\"y\",0]],\"z\":1}";
        ManifestException e = catchThrowableOfType(ManifestException.class,
                () -> ImageManifest.fromJson(json.getBytes(StandardCharsets.UTF_8)));
        assertThat(e.errors()).extracting(FieldError::path)
                .containsExactlyInAnyOrder("z", "digest", "size", "chunks[0][0]", "chunks[0][1]");
    }

    @Test
    void syntaxErrorsAndTrailingContentAreRefused() {
        assertThatThrownBy(() -> ImageManifest.fromJson("{\"digest\":".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(ManifestException.class).hasMessageContaining("not JSON");
        String ok = new String(new ImageManifest(ImageManifest.EMPTY_DIGEST, 0, List.of()).toJson(),
                StandardCharsets.UTF_8);
        assertThatThrownBy(() -> ImageManifest.fromJson((ok + " {}").getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(ManifestException.class).hasMessageContaining("trailing");
        assertThatThrownBy(() -> ImageManifest.fromJson(
                "{\"digest\":\"a\",\"digest\":\"b\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(ManifestException.class).hasMessageContaining("digest");
    }

    @Test
    void theConstructorChecksToo() {
        ChunkRef a = new ChunkRef(A, 3);
        assertThatThrownBy(() -> new ImageManifest(D, 4, List.of(a))).hasMessageContaining("add up to 3");
        assertThatThrownBy(() -> new ChunkRef("sha256:../../etc", 3)).hasMessageContaining("sha256:../../etc");
        assertThatThrownBy(() -> new ChunkRef(A, 0)).hasMessageContaining("0");
    }
}
