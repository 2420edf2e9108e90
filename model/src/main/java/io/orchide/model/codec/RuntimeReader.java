package io.orchide.model.codec;

import io.orchide.model.Accel;
import io.orchide.model.Arch;
import io.orchide.model.Compatibility;
import io.orchide.model.Family;
import io.orchide.model.Monitor;
import io.orchide.model.RuntimeSpec;

import java.util.Collection;
import java.util.stream.Collectors;

/**
 * Reads {@code spec.runtime} and rejects impossible combinations: a family the monitor cannot run, a foreign
 * architecture on a monitor that runs only the node's own, an acceleration the monitor does not have.
 */
public final class RuntimeReader {
    private RuntimeReader() {
    }

    /**
     * @param nodeArch the architecture of the node the App is meant for, for the checks of a given arch; null when
     *                 unknown, in which case they are skipped. An absent arch stays null either way: the node's
     *                 driver reads the image's architecture at prepare (ELF machine, arm64 Image header)
     * @return the runtime, or null when absent (allowed for OCI images that carry urunc annotations)
     */
    public static RuntimeSpec read(Cursor c, Arch nodeArch) {
        if (!c.mapping()) return null;
        c.allowOnly("family", "monitor", "arch", "accel");
        Family family = c.field("family").requiredChoice(Family.values());
        Monitor monitor = c.field("monitor").requiredChoice(Monitor.values());
        Arch arch = c.field("arch").choice(Arch.values());
        Accel accel = c.field("accel").choice(Accel.values());
        boolean archGiven = c.field("arch").present();
        // Left out, the arch stays open: the node's driver reads it from the image at prepare.
        Arch effective = archGiven ? arch : null;
        if (family != null && monitor != null && !Compatibility.runs(monitor, family)) {
            c.field("monitor").error(monitor + " cannot run the " + family + " family; " + monitor + " runs "
                    + list(Compatibility.families(monitor)) + ", and " + family + " runs on "
                    + list(Compatibility.monitors(family)));
        }
        if (monitor != null && arch != null && nodeArch != null && arch != nodeArch
                && Compatibility.nodeArchOnly(monitor)) {
            c.field("arch").error(monitor + " runs only images of the node's own arch " + nodeArch + ", not " + arch
                    + "; only qemu can emulate another arch");
        }
        if (monitor != null && accel != null) checkAccel(c.field("accel"), monitor, accel, arch, nodeArch);
        return new RuntimeSpec(family, monitor, effective, accel);
    }

    private static void checkAccel(Cursor c, Monitor monitor, Accel accel, Arch arch, Arch nodeArch) {
        if (!Compatibility.accels(monitor).contains(accel)) {
            c.error(monitor + " accepts accel " + list(Compatibility.accels(monitor)) + " only");
        } else if (accel == Accel.KVM && !Compatibility.nodeArchOnly(monitor)
                && arch != null && nodeArch != null && arch != nodeArch) {
            c.error("kvm runs only the node's own arch " + nodeArch + ", not " + arch + "; use auto or tcg");
        }
    }

    private static String list(Collection<?> values) {
        return values.stream().map(Object::toString).collect(Collectors.joining(", "));
    }
}
