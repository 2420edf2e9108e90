package io.orchide.node.workload;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CapacityTest {
    @Test
    void fitsOnlyWhenBothCpuAndMemoryFit() {
        Capacity free = new Capacity(2, 100);
        assertThat(free.fits(new Capacity(2, 100))).isTrue();
        assertThat(free.fits(new Capacity(3, 10))).isFalse();
        assertThat(free.fits(new Capacity(1, 101))).isFalse();
        assertThat(free.minus(new Capacity(1, 64))).isEqualTo(new Capacity(1, 36));
    }

    @Test
    void hostCapacityReflectsThisMachine() {
        Capacity host = Capacity.ofHost(0);
        assertThat(host.vcpus()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(host.memoryMiB()).isGreaterThan(0);
    }
}
