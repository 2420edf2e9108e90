package io.orchide.model;

import org.junit.jupiter.api.Test;

import static io.orchide.model.Family.CONTAINER;
import static io.orchide.model.Family.LINUX;
import static io.orchide.model.Family.MIRAGE;
import static io.orchide.model.Family.MULTIBOOT;
import static io.orchide.model.Family.NANOS;
import static io.orchide.model.Family.OSV;
import static io.orchide.model.Family.PROCESS;
import static io.orchide.model.Family.UNIKRAFT;
import static org.assertj.core.api.Assertions.assertThat;

class CompatibilityTest {
    @Test
    void familiesPerMonitor() {
        assertThat(Compatibility.families(Monitor.QEMU)).containsExactly(UNIKRAFT, MIRAGE, OSV, NANOS, LINUX, MULTIBOOT);
        assertThat(Compatibility.families(Monitor.SOLO5_HVT)).containsExactly(MIRAGE);
        assertThat(Compatibility.families(Monitor.SOLO5_SPT)).containsExactly(MIRAGE);
        assertThat(Compatibility.families(Monitor.FIRECRACKER)).containsExactly(UNIKRAFT, OSV, NANOS, LINUX);
        assertThat(Compatibility.families(Monitor.RUNC)).containsExactly(CONTAINER);
        assertThat(Compatibility.families(Monitor.CRUN)).containsExactly(CONTAINER);
        assertThat(Compatibility.families(Monitor.BWRAP)).containsExactly(PROCESS);
    }

    @Test
    void monitorsPerFamily() {
        assertThat(Compatibility.monitors(MIRAGE)).containsExactly(Monitor.QEMU, Monitor.SOLO5_HVT, Monitor.SOLO5_SPT);
        assertThat(Compatibility.monitors(CONTAINER)).containsExactly(Monitor.RUNC, Monitor.CRUN);
    }

    @Test
    void onlyQemuRunsAForeignArch() {
        for (Monitor m : Monitor.values()) assertThat(Compatibility.nodeArchOnly(m)).isEqualTo(m != Monitor.QEMU);
    }

    @Test
    void tcgOnlyOnQemu() {
        for (Monitor m : Monitor.values()) {
            assertThat(Compatibility.accels(m).contains(Accel.TCG)).isEqualTo(m == Monitor.QEMU);
            assertThat(Compatibility.accels(m)).contains(Accel.AUTO);
        }
    }
}
