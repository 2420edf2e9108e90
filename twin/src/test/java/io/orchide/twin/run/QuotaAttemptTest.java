package io.orchide.twin.run;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What the twin prints of its over-quota attempt: a refusal as ground gave it, and a plain word when there was none. */
class QuotaAttemptTest {
    @Test
    void theTextSaysWhatWasTriedAndHowGroundAnswered() {
        var refused = new QuotaAttempt("fire-team", "pipeline/fire-watch-extra", "sat-1", 403, "quota_exceeded",
                "tenant fire-team exceeded quota pipelines: limit 2, used 2, requested 1");
        assertThat(refused.refused()).isTrue();
        assertThat(refused.lines()).containsExactly(
                "over-quota attempt: fire-team's developer tried to add pipeline/fire-watch-extra on sat-1 with its pipelines quota full",
                "refused: 403 quota_exceeded: tenant fire-team exceeded quota pipelines: limit 2, used 2, requested 1");
        var accepted = new QuotaAttempt("fire-team", "pipeline/fire-watch-extra", "sat-1", 200, null, "ground accepted it");
        assertThat(accepted.refused()).isFalse();
        assertThat(accepted.lines().get(1)).isEqualTo("QUOTA NOT ENFORCED: ground answered 200: ground accepted it");
        var otherRefusal = new QuotaAttempt("fire-team", "pipeline/fire-watch-extra", "sat-1", 403, "forbidden", "no");
        assertThat(otherRefusal.refused()).as("refused, but not for its quota").isFalse();
    }
}
