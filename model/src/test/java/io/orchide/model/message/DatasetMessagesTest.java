package io.orchide.model.message;

import io.orchide.model.FieldError;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DatasetMessagesTest {
    private static final Instant AT = Instant.parse("2026-12-07T10:00:00Z");

    @Test
    void aCommandAndAResultComeBackAsTheyWereSent() throws Exception {
        DatasetCommand cp = new DatasetCommand(7, DatasetCommand.CP, "ocean", "scenes", "a.pgm", "archive", null, AT);
        assertThat(DatasetCommand.decode(cp.encode())).isEqualTo(cp);
        DatasetResult r = new DatasetResult(7, "node-a", DatasetResult.DONE, "copied scenes/a.pgm to archive/a.pgm",
                AT, List.of(new DatasetResult.Listing("archive", "ocean", 1, 3, 100L, null,
                        List.of(new DatasetResult.FileEntry("a.pgm", 3, AT)), false)));
        assertThat(DatasetResult.decode(r.encode())).isEqualTo(r);
        DatasetResult got = new DatasetResult(8, "node-a", DatasetResult.DONE, "brought down scenes/a.pgm (3 bytes)",
                AT, List.of(), new byte[] {0, 1, (byte) 255});
        assertThat(DatasetResult.decode(got.encode())).isEqualTo(got);
        assertThat(DatasetResult.decode(got.encode()).content()).containsExactly(0, 1, 255);
    }

    @Test
    void anUnknownOperationIsRefusedNamingTheFieldAndTheValue() {
        byte[] bad = "{\"id\": 3, \"op\": \"chmod\", \"dataset\": \"scenes\"}".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> DatasetCommand.decode(bad)).isInstanceOfSatisfying(MessageException.class,
                e -> assertThat(e.errors()).extracting(FieldError::path, FieldError::value)
                        .containsExactly(org.assertj.core.groups.Tuple.tuple("op", "\"chmod\"")));
    }

    @Test
    void aPutCarriesItsContentAndAResultItsDownlinkAndAPutWithoutContentIsRefused() throws Exception {
        String ref = "sha256:" + "ab".repeat(32);
        DatasetCommand put = new DatasetCommand(9, DatasetCommand.PUT, "ocean", "scenes", "a.pgm", null, null, AT,
                ref, 3145728L, "alice");
        assertThat(DatasetCommand.decode(put.encode())).isEqualTo(put);
        DatasetResult coming = new DatasetResult(10, "node-a", DatasetResult.DONE, "coming down", AT, List.of(), null,
                3145728L);
        assertThat(DatasetResult.decode(coming.encode()).downlink()).isEqualTo(3145728L);

        byte[] noContent = "{\"id\": 3, \"op\": \"put\", \"dataset\": \"scenes\", \"file\": \"a\"}"
                .getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> DatasetCommand.decode(noContent)).isInstanceOfSatisfying(MessageException.class,
                e -> assertThat(e.errors()).extracting(FieldError::path).containsExactly("content"));
    }

    @Test
    void aDatasetFileComesBackWholeAndOneWhoseBytesDifferFromItsDigestIsRefused() throws Exception {
        byte[] content = {1, 2, 3, 4};
        DatasetFile f = new DatasetFile(new DatasetFile.Header(3, "node-a", "scenes", "a.pgm", 4,
                ProductPayload.sha256(content)), content);
        DatasetFile back = DatasetFile.decode(f.encode());
        assertThat(back.header()).isEqualTo(f.header());
        assertThat(back.content()).containsExactly(1, 2, 3, 4);

        byte[] corrupt = f.encode();
        corrupt[corrupt.length - 1] = 9;
        assertThatThrownBy(() -> DatasetFile.decode(corrupt)).isInstanceOfSatisfying(MessageException.class,
                e -> assertThat(e.errors()).extracting(FieldError::path).containsExactly("sha256"));
    }
}
