package io.orchide.ground.audit;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What an entry accepts from a request, and that its hash covers every field. */
class AuditEntryTest {
    static final AuditEntry E = new AuditEntry("alice", "ocean-team", "get", "satellites", Outcome.ALLOWED, "192.0.2.1", null);

    @Test
    void overLongValuesAreCutAndMarkedRatherThanRefused() {
        AuditEntry e = new AuditEntry("a".repeat(300), null, "get", "r/" + "x".repeat(2000), Outcome.DENIED, null,
                "\uD83D\uDE00".repeat(1500));
        assertThat(e.actor()).hasSize(AuditEntry.MAX_ACTOR).endsWith(AuditEntry.CUT);
        assertThat(e.resource()).hasSize(AuditEntry.MAX_RESOURCE).endsWith(AuditEntry.CUT);
        assertThat(e.detail()).endsWith("\uD83D\uDE00" + AuditEntry.CUT); // never half a character
        assertThat(e.detail().length()).isLessThanOrEqualTo(AuditEntry.MAX_DETAIL);
    }

    @Test
    void aMissingActorVerbResourceOrOutcomeIsRefusedByName() {
        assertThatThrownBy(() -> new AuditEntry(" ", null, "get", "r", Outcome.ALLOWED, null, null))
                .hasMessage("actor: required (got \" \")");
        assertThatThrownBy(() -> new AuditEntry("a", null, null, "r", Outcome.ALLOWED, null, null))
                .hasMessage("verb: required (got none)");
        assertThatThrownBy(() -> new AuditEntry("a", null, "get", "", Outcome.ALLOWED, null, null))
                .hasMessage("resource: required (got \"\")");
        assertThatThrownBy(() -> new AuditEntry("a", null, "get", "r", null, null, null))
                .hasMessage("outcome: required (one of allowed, denied, failed)");
        assertThatThrownBy(() -> Outcome.parse("ok")).hasMessage("unknown outcome ok (known: allowed, denied, failed)");
    }

    @Test
    void theHashChangesWithEveryFieldTheTimeThePlaceAndThePreviousHash() {
        Instant t = Instant.parse("2026-12-07T10:00:00Z");
        String h = AuditChain.hash(5, t, E, AuditChain.GENESIS);
        String other = "1".repeat(64);
        assertThat(AuditChain.hash(5, t, E, AuditChain.GENESIS)).isEqualTo(h).hasSize(64);
        assertThat(java.util.List.of(
                AuditChain.hash(6, t, E, AuditChain.GENESIS),
                AuditChain.hash(5, t.plusMillis(1), E, AuditChain.GENESIS),
                AuditChain.hash(5, t, E, other),
                AuditChain.hash(5, t, new AuditEntry("alicf", "ocean-team", "get", "satellites", Outcome.ALLOWED, "192.0.2.1", null), AuditChain.GENESIS),
                AuditChain.hash(5, t, new AuditEntry("alice", null, "get", "satellites", Outcome.ALLOWED, "192.0.2.1", null), AuditChain.GENESIS),
                AuditChain.hash(5, t, new AuditEntry("alice", "ocean-team", "put", "satellites", Outcome.ALLOWED, "192.0.2.1", null), AuditChain.GENESIS),
                AuditChain.hash(5, t, new AuditEntry("alice", "ocean-team", "get", "satellite", Outcome.ALLOWED, "192.0.2.1", null), AuditChain.GENESIS),
                AuditChain.hash(5, t, new AuditEntry("alice", "ocean-team", "get", "satellites", Outcome.FAILED, "192.0.2.1", null), AuditChain.GENESIS),
                AuditChain.hash(5, t, new AuditEntry("alice", "ocean-team", "get", "satellites", Outcome.ALLOWED, null, null), AuditChain.GENESIS),
                AuditChain.hash(5, t, new AuditEntry("alice", "ocean-team", "get", "satellites", Outcome.ALLOWED, "192.0.2.1", "x"), AuditChain.GENESIS)))
                .doesNotContain(h).doesNotHaveDuplicates();
        // a field's end moved into the next one: the length prefixes keep them apart
        assertThat(AuditChain.hash(1, 0, "ab", "c", "v", "r", "allowed", null, null, AuditChain.GENESIS))
                .isNotEqualTo(AuditChain.hash(1, 0, "a", "bc", "v", "r", "allowed", null, null, AuditChain.GENESIS));
        assertThat(AuditChain.hash(1, 0, "a", null, "v", "r", "allowed", null, null, AuditChain.GENESIS))
                .isNotEqualTo(AuditChain.hash(1, 0, "a", "", "v", "r", "allowed", null, null, AuditChain.GENESIS));
    }
}
