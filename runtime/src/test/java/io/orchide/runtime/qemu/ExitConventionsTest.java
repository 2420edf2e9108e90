package io.orchide.runtime.qemu;

import io.orchide.model.Arch;
import io.orchide.model.Family;
import io.orchide.runtime.ExitStatus;
import io.orchide.runtime.RawExit;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class ExitConventionsTest {
    private static ExitStatus x86(Family f, int code) {
        return ExitConventions.decode(f, Arch.X86_64, new RawExit(code, 0, Instant.EPOCH));
    }

    @Test
    void isaDebugExitCodes() {
        assertThat(x86(Family.MULTIBOOT, 7).guestCode()).isEqualTo(3);
        assertThat(x86(Family.MULTIBOOT, 7).success()).isFalse();
        assertThat(x86(Family.MULTIBOOT, 0).success()).isTrue();
        assertThat(x86(Family.MULTIBOOT, 1).success()).isFalse();
        assertThat(x86(Family.MULTIBOOT, 1).reason()).contains("qemu error");
        assertThat(x86(Family.UNIKRAFT, 83)).extracting(ExitStatus::guestCode, ExitStatus::success).containsExactly(0, true);
        assertThat(x86(Family.UNIKRAFT, 85).success()).isFalse();
        assertThat(x86(Family.UNIKRAFT, 85).reason()).contains("crash");
        assertThat(x86(Family.MIRAGE, 83).success()).isTrue();
        assertThat(x86(Family.NANOS, 1)).extracting(ExitStatus::guestCode, ExitStatus::success).containsExactly(0, true);
        assertThat(x86(Family.OSV, 2).success()).isFalse();
    }

    @Test
    void anOsvPowerOffIsAnUnknownExitNotASuccess() {
        ExitStatus s = x86(Family.OSV, 0);
        assertThat(s.guestCode()).isNull();
        assertThat(s.success()).isFalse();
        assertThat(s.reason()).contains("exit status unknown");
        assertThat(ExitConventions.decode(Family.OSV, Arch.AARCH64, new RawExit(0, 0, Instant.EPOCH)).success()).isFalse();
        // other guests that power off meant to
        assertThat(x86(Family.LINUX, 0).success()).isTrue();
    }

    @Test
    void aHypervisorErrorOutranksTheStatusQemuWasQuitWith() {
        ExitStatus s = ExitConventions.decode(Family.UNIKRAFT, Arch.X86_64,
                new RawExit(0, 0, Instant.EPOCH, "hypervisor error: internal-error"));
        assertThat(s.success()).isFalse();
        assertThat(s.guestCode()).isNull();
        assertThat(s.reason()).isEqualTo("hypervisor error: internal-error");
    }

    @Test
    void semihostingAndSignals() {
        ExitStatus s = ExitConventions.decode(Family.MULTIBOOT, Arch.AARCH64, new RawExit(5, 0, Instant.EPOCH));
        assertThat(s.guestCode()).isEqualTo(5);
        assertThat(s.success()).isFalse();
        assertThat(ExitConventions.decode(Family.MULTIBOOT, Arch.AARCH64, new RawExit(0, 0, Instant.EPOCH)).success()).isTrue();
        ExitStatus k = ExitConventions.decode(Family.UNIKRAFT, Arch.X86_64, new RawExit(0, 9, Instant.EPOCH));
        assertThat(k.success()).isFalse();
        assertThat(k.reason()).isEqualTo("killed by signal 9");
    }
}
