package io.orchide.model.tenant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A tenant's quota as an operator writes it, read and written back, and refused naming every field at fault. */
class QuotaTest {
    @Test
    void theDeclaredQuotaReadsAndWritesBackTheSame() {
        Quota q = Quota.parse("quota", "cpu=4,memory=2Gi,storage=20Gi,uplink=50Mi/d");
        assertThat(q).isEqualTo(new Quota(4000L, 2L << 30, 20L << 30, 50L << 20));
        assertThat(q.format()).isEqualTo("cpu=4,memory=2Gi,storage=20Gi,uplink=50Mi/d");
        assertThat(Quota.parse("quota", "cpu=500m").format()).isEqualTo("cpu=500m");
        assertThat(Quota.parse("quota", "cpu=0.5,memory=1536Mi").format()).isEqualTo("cpu=500m,memory=1536Mi");
        assertThat(Quota.parse("quota", "")).isEqualTo(Quota.NONE);
    }

    @Test
    void everyBadFieldIsNamedWithItsValue() {
        assertThatThrownBy(() -> Quota.parse("quota", "cpu=four,memory=-1Gi,uplink=50Mi,disk=1Gi"))
                .isInstanceOfSatisfying(Quota.Invalid.class, e -> assertThat(e.errors())
                        .extracting(f -> f.path() + "=" + f.value())
                        .containsExactly("quota.cpu=four", "quota.memory=-1Gi", "quota.uplink=50Mi", "quota.disk=1Gi"));
    }
}
