package io.orchide.runtime.qemu;

import io.orchide.model.Arch;
import io.orchide.model.Family;
import io.orchide.runtime.ExitStatus;
import io.orchide.runtime.RawExit;

/**
 * What a QEMU exit status means, per family and architecture.
 *
 * <ul>
 *   <li>A signal: the VM was killed, not a success.</li>
 *   <li>x86_64 guests exit through {@code isa-debug-exit}: a write of {@code v} makes QEMU exit {@code (v << 1) | 1}.
 *       The device sits at port 0xf4 (the multiboot convention) and, for Unikraft, Nanos and Solo5 virtio, also at
 *       its default port 0x501.
 *     <ul>
 *       <li>Unikraft: 83 is a clean halt (guest 0), 85 a crash.</li>
 *       <li>Solo5 virtio (mirage): always writes 41, so 83 is a halt whose status QEMU cannot tell.</li>
 *       <li>Nanos: writes the program's exit code, so 1 is exit 0.</li>
 *       <li>Others: an odd status {@code s >= 3} is guest code {@code (s - 1) / 2}.</li>
 *     </ul></li>
 *   <li>Status 0 is a power off (ACPI S5, PSCI SYSTEM_OFF): a success. For the multiboot family that is how the
 *       guest exits with code 0. OSv powers off whatever its application returned: its exit is unknown, which is
 *       neither a code nor a success.</li>
 *   <li>Status 1 is QEMU's own error (bad option, missing file, KVM failure), except for Nanos. A VM counts as
 *       started only once QMP resumed it ({@link QmpStart}), so a qemu that fails before that is a launch failure,
 *       never decoded here.</li>
 *   <li>A {@link RawExit#cause()} (the VM stopped on a hypervisor error and was quit for it) outranks all of
 *       these: failed, with the cause as the reason.</li>
 *   <li>aarch64 multiboot guests exit through semihosting: the status is the guest's code.</li>
 * </ul>
 */
public final class ExitConventions {
    static final int UNIKRAFT_HALT = 83;
    static final int UNIKRAFT_CRASH = 85;
    static final int SOLO5_VIRTIO_HALT = 83;

    private ExitConventions() {
    }

    /** Whether the family reports through isa-debug-exit at its default port 0x501 on x86_64. */
    static boolean usesDefaultDebugExitPort(Family family) {
        return family == Family.UNIKRAFT || family == Family.NANOS || family == Family.MIRAGE;
    }

    /** OSv powers off with status 0 whatever its application returned ("Nothing to run" included). */
    private static ExitStatus osvPowerOff(RawExit raw) {
        return new ExitStatus(raw, null, false,
                "powered off; exit status unknown (OSv does not report its application's exit status)");
    }

    public static ExitStatus decode(Family family, Arch arch, RawExit raw) {
        var common = ExitStatus.beforeConvention(raw);
        if (common.isPresent()) return common.get();
        int s = raw.code();
        if (arch == Arch.AARCH64) {
            if (family == Family.MULTIBOOT)
                return new ExitStatus(raw, s, s == 0, "guest exited " + s + " via semihosting");
            if (s == 0 && family == Family.OSV) return osvPowerOff(raw);
            return s == 0 ? new ExitStatus(raw, null, true, "powered off")
                    : new ExitStatus(raw, null, false, "qemu exited " + s);
        }
        if (s == 0 && family == Family.OSV) return osvPowerOff(raw);
        if (s == 0) return new ExitStatus(raw, family == Family.MULTIBOOT ? 0 : null, true, "powered off");
        switch (family) {
            case UNIKRAFT -> {
                if (s == UNIKRAFT_HALT) return new ExitStatus(raw, 0, true, "halted (isa-debug-exit 83)");
                if (s == UNIKRAFT_CRASH) return new ExitStatus(raw, null, false, "crashed (isa-debug-exit 85)");
            }
            case MIRAGE -> {
                if (s == SOLO5_VIRTIO_HALT)
                    return new ExitStatus(raw, null, true, "halted (Solo5 virtio does not report its exit status)");
            }
            case NANOS -> {
                // qemu's own errors before the VM runs are launch failures (QmpStart), never exits
                if (s == 1) return new ExitStatus(raw, 0, true, "guest exited 0 via isa-debug-exit");
            }
            default -> {
            }
        }
        if (s == 1) return new ExitStatus(raw, null, false, "qemu error (status 1, see the console)");
        if ((s & 1) == 1) {
            int guest = (s - 1) / 2;
            return new ExitStatus(raw, guest, guest == 0, "guest exited " + guest + " via isa-debug-exit");
        }
        return new ExitStatus(raw, null, false, "qemu exited " + s);
    }
}
