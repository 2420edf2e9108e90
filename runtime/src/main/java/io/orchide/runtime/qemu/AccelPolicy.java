package io.orchide.runtime.qemu;

import io.orchide.model.Accel;
import io.orchide.model.Arch;
import io.orchide.runtime.LaunchException;

import java.util.function.Supplier;

/**
 * Chooses KVM or TCG for one launch. The App's {@code spec.runtime.accel} wins unless it is {@code auto}, then the
 * node's setting applies. KVM needs the guest's architecture to be the host's and the probe to show it works;
 * {@code auto} takes KVM only when the probe prefers it. Demanding KVM where it cannot work is an error on
 * {@code spec.runtime.accel}.
 */
public final class AccelPolicy {
    /** The chosen acceleration and why. */
    public record Choice(Accel accel, String reason) {
    }

    private AccelPolicy() {
    }

    public static Choice choose(Accel node, Accel app, Arch guest, Arch host, Supplier<KvmProber.Result> kvm)
            throws LaunchException {
        Accel wanted = app != Accel.AUTO ? app : node;
        String who = app != Accel.AUTO ? "the App" : "the node configuration";
        if (wanted == Accel.TCG) return new Choice(Accel.TCG, "TCG requested by " + who);
        if (guest != host) {
            if (wanted == Accel.KVM)
                throw new LaunchException("spec.runtime.accel", "kvm", "KVM (demanded by " + who + ") cannot run a "
                        + guest + " guest on this " + host + " host");
            return new Choice(Accel.TCG, "TCG: " + guest + " guest on a " + host + " host");
        }
        KvmProber.Result r = kvm.get();
        if (wanted == Accel.KVM) {
            if (!r.usable())
                throw new LaunchException("spec.runtime.accel", "kvm", "KVM demanded by " + who
                        + " does not work for qemu here: " + r.reason());
            return new Choice(Accel.KVM, r.reason());
        }
        return new Choice(r.preferred() ? Accel.KVM : Accel.TCG, r.reason());
    }
}
