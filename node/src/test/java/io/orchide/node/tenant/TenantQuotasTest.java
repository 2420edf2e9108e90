package io.orchide.node.tenant;

import io.orchide.model.message.TenantQuota;
import io.orchide.node.store.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;

/** The tenants' quotas survive the agent's restart, and an older or repeated version never replaces a newer one. */
class TenantQuotasTest {
    @TempDir
    Path tmp;

    @Test
    void aQuotaIsKeptAcrossRestartsAndOnlyANewerVersionReplacesIt() throws Exception {
        TenantQuota v2 = new TenantQuota("ocean", 2, 1500L, 512L << 20, null);
        try (Database db = Database.open(tmp.resolve("node.db"))) {
            TenantQuotas q = new TenantQuotas(db, Clock.systemUTC());
            assertThat(q.take(new TenantQuota("ocean", 1, 4000L, null, null))).isTrue();
            assertThat(q.take(v2)).isTrue();
            assertThat(q.take(new TenantQuota("ocean", 1, 9000L, null, null))).as("late, older").isFalse();
            assertThat(q.take(v2)).as("delivered again").isFalse();
        }
        try (Database db = Database.open(tmp.resolve("node.db"))) {
            TenantQuotas q = new TenantQuotas(db, Clock.systemUTC());
            assertThat(q.of("ocean")).contains(v2);
            assertThat(q.of("fire")).isEmpty();
        }
    }

    @Test
    void eachLimitIsCheckedOnItsOwnAndAnUnsetOneNeverRefuses() {
        TenantQuota q = new TenantQuota("ocean", 1, null, 100L, null);
        QuotaCheck.Amounts use = new QuotaCheck.Amounts(50_000, 60, 1L << 40);
        org.assertj.core.api.Assertions.assertThatCode(() -> QuotaCheck.check("x", "ocean", q, use,
                new QuotaCheck.Amounts(1000, 40, 1L << 40))).doesNotThrowAnyException();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> QuotaCheck.check("x", "ocean", q, use,
                new QuotaCheck.Amounts(0, 41, 0))).isInstanceOfSatisfying(QuotaExceededException.class, e -> {
                    assertThat(e.resource()).isEqualTo("memory");
                    assertThat(e.use()).isEqualTo(60);
                    assertThat(e.request()).isEqualTo(41);
                });
    }
}
