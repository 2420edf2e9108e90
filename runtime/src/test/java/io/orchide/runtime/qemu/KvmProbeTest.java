package io.orchide.runtime.qemu;

import io.orchide.testkit.HelloKernels;
import io.orchide.model.Accel;
import io.orchide.model.Arch;
import io.orchide.runtime.Probe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The real KVM probe on this host, with the hello kernel as probe kernel; cached per qemu version. */
class KvmProbeTest {
    @TempDir
    Path tmp;

    @Test
    void aWorkingProbeSaysWhatItProvedAndWhatNot() {
        String r = KvmProber.works(java.time.Duration.ofMillis(120), java.time.Duration.ofMillis(300), false);
        assertThat(r).startsWith("KVM: boots the probe kernel (long mode, paging, SSE, local APIC)")
                .contains("Unikraft's XSAVE/AVX").contains("not proven").doesNotContain("works");
        assertThat(KvmProber.works(java.time.Duration.ofSeconds(15), java.time.Duration.ofMillis(300), true))
                .contains("slower than TCG").contains("using TCG");
    }

    @Test
    void probesOnceAndCaches() throws Exception {
        Path kernel = Arch.host() == Arch.X86_64 ? HelloKernels.x86_64() : HelloKernels.aarch64();
        QemuDriver driver = new QemuDriver(Apps.config(tmp, Accel.AUTO), kernel);
        KvmProber.Result first = driver.kvm(Arch.host());
        System.out.println("KVM probe: " + first);
        assertThat(first.reason()).isNotBlank();
        if (first.preferred()) assertThat(first.usable()).isTrue();
        // a working probe says what it proved, never a bare "works"
        if (first.usable()) assertThat(first.reason()).contains("boots the probe kernel").contains("not proven");

        long t0 = System.nanoTime();
        KvmProber.Result again = new QemuDriver(Apps.config(tmp, Accel.AUTO), kernel).kvm(Arch.host());
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(2_000);
        assertThat(again.usable()).isEqualTo(first.usable());
        assertThat(again.preferred()).isEqualTo(first.preferred());

        List<Probe> probes = driver.probe();
        assertThat(probes).extracting(Probe::name).containsExactly("qemu x86_64", "qemu aarch64");
        assertThat(probes).allSatisfy(p -> {
            assertThat(p.available()).isTrue();
            assertThat(p.details()).containsKeys("binary", "version", "kvm");
        });
        Probe host = probes.stream().filter(p -> p.name().endsWith(Arch.host().wire())).findFirst().orElseThrow();
        assertThat(host.details().get("kvm")).isEqualTo(first.usable() ? "yes" : "no");
        System.out.println("probe: " + probes);
    }
}
