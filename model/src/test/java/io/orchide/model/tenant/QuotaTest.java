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
        assertThatThrownBy(() -> Quota.parse("quota", "apps=-1,pipelines=ten,images=0,products=1Gb"))
                .isInstanceOfSatisfying(Quota.Invalid.class, e -> assertThat(e.errors())
                        .extracting(f -> f.path() + "=" + f.value() + ": " + f.message())
                        .containsExactly("quota.apps=-1: must be 0 or more", "quota.pipelines=ten: expected a whole number, such as 20",
                                "quota.images=0: must be positive", "quota.products=1Gb: expected a size such as 2Gi, 512Mi or 1048576"));
        assertThatThrownBy(() -> Quota.parse("quota", "apps=none")).hasMessageContaining("quota.apps");
    }

    @Test
    void theGroundQuotasReadAndWriteBackTheSame() {
        Quota q = Quota.parse("quota", "apps=20,pipelines=10,images=2Gi,products=10Gi");
        assertThat(q).isEqualTo(new Quota(null, null, null, null, 20L, 10L, 2L << 30, 10L << 30));
        assertThat(q.format()).isEqualTo("apps=20,pipelines=10,images=2Gi,products=10Gi");
        assertThat(Quota.parse("quota", "apps=0").apps()).isZero();
    }

    @Test
    void anUpdateChangesTheNamedLimitsAndKeepsTheOthers() {
        Quota q = Quota.parse("quota", "cpu=4,memory=2Gi,apps=20");
        assertThat(q.update("quota", "apps=30,cpu=none,products=1Gi").format()).isEqualTo("memory=2Gi,apps=30,products=1Gi");
        assertThatThrownBy(() -> q.update("quota", "")).isInstanceOf(Quota.Invalid.class).hasMessageContaining("names no limit");
        assertThatThrownBy(() -> q.update("quota", "apps=many")).isInstanceOfSatisfying(Quota.Invalid.class,
                e -> assertThat(e.errors()).extracting(f -> f.path() + "=" + f.value()).containsExactly("quota.apps=many"));
    }
}
