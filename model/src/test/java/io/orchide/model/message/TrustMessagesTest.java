package io.orchide.model.message;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The signed documents a desired change or a trust update carries travel as they are, text for text. */
class TrustMessagesTest {
    static final List<String> DOCS = List.of("{\"signed\":{\"_type\":\"root\"},\"signatures\":[]}", "{\"b\":\"é\"}");

    @Test
    void aDesiredChangeCarriesItsDocumentsAndOneWithoutCarriesNone() throws Exception {
        DesiredChange c = new DesiredChange("App", "a", 2, "m", DOCS);
        assertThat(DesiredChange.decode(c.encode())).isEqualTo(c);
        DesiredChange bare = new DesiredChange("App", "a", 2, "m");
        assertThat(new String(bare.encode(), StandardCharsets.UTF_8)).doesNotContain("trust");
        assertThat(DesiredChange.decode(bare.encode()).trust()).isEmpty();
    }

    @Test
    void aTrustUpdateRoundTripsAndNamesAMissingField() throws Exception {
        assertThat(TrustUpdate.decode(new TrustUpdate(DOCS).encode()).documents()).isEqualTo(DOCS);
        assertThatThrownBy(() -> TrustUpdate.decode("{}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MessageException.class).hasMessageContaining("documents");
    }
}
