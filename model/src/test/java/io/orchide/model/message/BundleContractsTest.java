package io.orchide.model.message;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BundleContractsTest {
    @Test
    void everyKindIsReadBackFromItsWireName() {
        for (BundleKind k : BundleKind.values()) assertThat(BundleKind.fromWire(k.wire())).contains(k);
        assertThat(BundleKind.fromWire("telemetry")).isEmpty();
        assertThat(Arrays.stream(BundleKind.values()).map(BundleKind::wire).distinct()).hasSize(BundleKind.values().length);
    }

    @Test
    void aNodesReportGoesBeforeDesiredStateWhichGoesBeforeEventsAndImages() {
        assertThat(BundleKind.REPORT.priority()).isGreaterThan(BundleKind.DESIRED.priority());
        assertThat(BundleKind.DESIRED.priority()).isGreaterThan(BundleKind.EVENT.priority());
        assertThat(BundleKind.EVENT.priority()).isGreaterThan(BundleKind.IMAGE_CHUNKS.priority());
        assertThat(BundleKind.EVENT.lifetime()).isEqualTo(Duration.ofDays(1));
    }

    @Test
    void aProductBundleHasNoFixedPriorityOrLifetime() {
        assertThatThrownBy(BundleKind.PRODUCT::priority).hasMessageContaining("product");
        assertThatThrownBy(BundleKind.PRODUCT::lifetime).hasMessageContaining("product");
    }

    @Test
    void aProductIdIsReadBackOnlyFromItsOwnNodesIds() {
        String id = BundleIds.product("sat-1", "n1", 42);
        assertThat(BundleIds.productOf("sat-1", "n1", id)).isEqualTo(OptionalLong.of(42));
        assertThat(BundleIds.productOf("sat-1", "n2", id)).isEmpty();
        assertThat(BundleIds.productOf("sat-1", "n1", id + "x")).isEmpty();
        assertThat(BundleIds.productOf("sat-1", "n1", "product.sat-1.n1.")).isEmpty();
        assertThat(BundleIds.productOf("sat-1", "n1", "product.sat-1.n1.99999999999999999999")).isEmpty();
    }

    @Test
    void idsAreDerivedFromWhatTheBundleCarries() {
        assertThat(BundleIds.desired("sat-1", "App", "hello", 3)).isEqualTo("desired.sat-1.App.hello.3");
        assertThat(BundleIds.imageChunks("sat-1", "ab12", 0)).isNotEqualTo(BundleIds.imageChunks("sat-1", "ab12", 1));
        assertThat(BundleIds.imageManifest("sat-1", "ab12")).isNotEqualTo(BundleIds.imageManifest("sat-2", "ab12"));
    }

    @Test
    void productStatesRoundTripAndSayWhichAreDone() {
        for (ProductState s : ProductState.values()) assertThat(ProductState.fromWire(s.wire())).contains(s);
        assertThat(ProductState.fromWire("lost")).isEmpty();
        assertThat(Arrays.stream(ProductState.values()).filter(ProductState::done))
                .containsExactlyInAnyOrder(ProductState.DOWNLINKED, ProductState.EXPIRED, ProductState.TOO_LARGE);
    }

    @Test
    void lineageRoundTrips() throws Exception {
        ProductLineage l = new ProductLineage("cloud-filter", "cloud-filter-000007", "mask", 2, "masked",
                "sha256:" + "a".repeat(64), Map.of("scene", "a.pgm sha256:" + "b".repeat(64)));
        assertThat(ProductLineage.decode(l.encode())).isEqualTo(l);
        ProductLineage bare = new ProductLineage("p", "p-000001", "s", null, "out", null, Map.of());
        assertThat(ProductLineage.decode(bare.encode())).isEqualTo(bare);
    }

    @Test
    void lineageMissingARequiredFieldIsRefusedByName() {
        assertThatThrownBy(() -> ProductLineage.decode("{\"pipeline\":\"p\",\"step\":\"s\",\"output\":\"o\"}"))
                .isInstanceOfSatisfying(MessageException.class,
                        e -> assertThat(e.errors()).extracting(f -> f.path()).containsExactly("run"));
    }
}
