package io.orchide.twin.run;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The summary's lines on the chain of trust and on housekeeping say what went wrong, not only what went right. */
class SummaryTextTest {
    static final Instant T = Instant.parse("2026-12-01T08:50:00Z");

    @Test
    void aNodeWithoutItsRootOrThatDidNotAnswerIsNamedAndTheRunIsNotCalledVerified() {
        TrustSummary ok = new TrustSummary(2, 2, 3, List.of("ocean-team"), 1, true, 2, List.of(
                new TrustSummary.Node("sat-1", true, true, 2), new TrustSummary.Node("sat-2", true, true, 2)));
        assertThat(ok.everyNodeVerified()).isTrue();
        assertThat(SummaryText.trust(ok)).isEqualTo("signed: 2-of-3 root (version 2), keys delegated to ocean-team, "
                + "2 image(s) signed; desired state sealed by ground's key, a director key named by the root (director "
                + "keys version 1); every node pinned the root and ground's key and verified its images before boot "
                + "(sat-1 2, sat-2 2)");

        TrustSummary bad = new TrustSummary(1, 2, 3, List.of(), 0, false, 0, List.of(
                new TrustSummary.Node("sat-1", false, true, 2), new TrustSummary.Node("sat-2", true, true, -1)));
        assertThat(bad.everyNodeVerified()).isFalse();
        assertThat(SummaryText.trust(bad)).contains("keys delegated to no tenant")
                .contains("desired state sealed by ground's pinned key (the root names no director)")
                .contains("NOT every node verified its images (sat-1 2 (NO ROOT PINNED), sat-2 did not answer)");

        // director keys that leave out the key ground seals with: said, not passed over
        TrustSummary foreign = new TrustSummary(1, 2, 3, List.of("ocean-team"), 2, false, 2, ok.nodes());
        assertThat(SummaryText.trust(foreign)).contains("desired state sealed by ground's key, NOT a director key of the "
                + "root (director keys version 2)");
    }

    @Test
    void housekeepingSaysItsBytesAgainstTheBudgetOverItsSpanAndItsGapsOrThatTheBytesAreNotAtGroundYet() {
        HousekeepingSummary h = new HousekeepingSummary("sat-1", 31, 9000, 80_000, 1 << 20, false, Duration.ofHours(6),
                List.of(new HousekeepingSummary.Gap(T, T.plus(Duration.ofMinutes(35)))));
        assertThat(h.allowedBytes()).isEqualTo((1 << 20) / 4);
        assertThat(SummaryText.housekeeping(h)).isEqualTo("housekeeping sat-1: 31 series, 9000 samples at ground; "
                + "80.0 KB of housekeeping against the 262.1 KB its budget allows in 6.0 h (1Mi/d, the nodes' default); "
                + "1 gap(s) (Dec 01 08:50 to Dec 01 09:25), never zeros");
        HousekeepingSummary early = new HousekeepingSummary("sat-2", 3, 3, -1, 2 << 20, true, Duration.ofMinutes(5), List.of());
        assertThat(SummaryText.housekeeping(early)).contains("its byte count not at ground yet (2Mi/d, set on ground); no gap");
    }

    /** A model not held, or held without its file, is said so; a refused pipeline shows the node's reason. */
    @Test
    void theModelLinesSayWhatTheNodesHoldAndWhatTheyRefused() {
        String digest = "sha256:" + "ab".repeat(32);
        InferenceSummary s = new InferenceSummary(List.of(
                new InferenceSummary.Allowed("sat-1", "cloud-mask", "ocean-team", "1", digest, "ocean-team", true, true, true),
                new InferenceSummary.Allowed("sat-2", "cloud-mask", "ocean-team", "1", digest, null, true, false, false),
                new InferenceSummary.Allowed("sat-3", "cloud-mask", "ocean-team", "1", digest, "ocean-team", false, false, false)),
                List.of(new InferenceSummary.Use("sat-1", "ocean-team", "cloud-infer", List.of("cloud-mask"), null, 14, 13, 2,
                                "no model ship-detect is applied on this node"),
                        new InferenceSummary.Use("sat-2", "ocean-team", "cloud-infer", List.of("cloud-mask"),
                                "Pipeline cloud-infer uses a model it may not use: spec.steps[0].template.models[0]: ...", 0, 0, 0, null)));
        assertThat(InferenceText.lines(s)).containsExactly(
                "models: cloud-mask v1 of ocean-team allowed on sat-1 by an operator (sha256:abababababab, its file signed "
                        + "with ocean-team's delegated key): held, its file present, loaded by the broker",
                "models: cloud-mask v1 of ocean-team allowed on sat-2 by an operator (sha256:abababababab, unsigned): held, "
                        + "its file NOT present, not loaded (no inference asked)",
                "models: cloud-mask v1 of ocean-team allowed on sat-3 by an operator (sha256:abababababab, its file signed "
                        + "with ocean-team's delegated key): NOT held on board",
                "inference: ocean-team's cloud-infer (cloud-mask) on sat-1: 14 run(s), 13 inference(s) answered by the "
                        + "broker, 2 refused (last: no model ship-detect is applied on this node)",
                "inference: ocean-team's cloud-infer (cloud-mask) on sat-2 refused on board: Pipeline cloud-infer uses a "
                        + "model it may not use: spec.steps[0].template.models[0]: ...");
    }
}
