package io.orchide.runtime.qemu;

import io.orchide.model.Accel;
import io.orchide.model.Arch;
import io.orchide.model.Family;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The qemu command line of one workload. x86_64 guests get {@code -M pc} and {@code isa-debug-exit}, with QEMU's
 * default CPU model ({@code -cpu host} and {@code max} abort on some nested hosts); aarch64 guests
 * {@code -M virt -cpu cortex-a57} under TCG ({@code -cpu host} under KVM, the only model KVM runs there) and, for
 * the multiboot family, semihosting. Nanos images and OSv's {@code usr.img} are disks with the kernel inside (a
 * snapshot: the guest's writes never reach the file); every other image boots with {@code -kernel}.
 *
 * @param name      the VM name shown by QEMU (the App's name)
 * @param binary    qemu-system-x86_64 or qemu-system-aarch64
 * @param diskFormat qemu's {@code format=} of an image that boots as a disk, null for a {@code -kernel} boot
 * @param append    the kernel command line; empty for none
 * @param eventsSocket the second QMP socket ({@link QmpSocket#events}); when given, qemu starts the VM paused
 *                  ({@code -S}) and the agent resumes it through that socket once it holds it ({@link QmpStart}),
 *                  so a VM counts as started only when it really is. Null runs the VM at once (the KVM probe).
 */
public record QemuCommand(String name, Path binary, Arch arch, Family family, Accel accel, int memoryMiB, int vcpus,
                          Path qmpSocket, Path image, String diskFormat, Path initrd, List<SharedDir> dirs,
                          String append, Path eventsSocket) {
    public QemuCommand {
        if (accel == Accel.AUTO) throw new IllegalArgumentException("resolve AUTO before building the command");
        dirs = List.copyOf(dirs);
    }

    public List<String> toList() {
        List<String> c = new ArrayList<>();
        c.add(binary.toString());
        c.add("-name");
        c.add(escape(name));
        if (arch == Arch.X86_64) {
            c.add("-M");
            c.add("pc");
        } else {
            // KVM on an aarch64 host only runs the host's own CPU model; TCG emulates a fixed one.
            c.addAll(List.of("-M", "virt", "-cpu", accel == Accel.KVM ? "host" : "cortex-a57"));
        }
        c.addAll(List.of("-accel", accel.wire()));
        c.addAll(List.of("-nodefaults", "-no-user-config", "-display", "none", "-serial", "stdio", "-monitor", "none",
                "-no-reboot"));
        c.addAll(List.of("-m", Integer.toString(memoryMiB), "-smp", Integer.toString(vcpus)));
        c.addAll(List.of("-qmp", "unix:" + escape(qmpSocket.toString()) + ",server=on,wait=off"));
        if (eventsSocket != null) {
            c.addAll(List.of("-qmp", "unix:" + escape(eventsSocket.toString()) + ",server=on,wait=off"));
            c.add("-S");
        }
        if (arch == Arch.X86_64) {
            c.addAll(List.of("-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"));
            if (ExitConventions.usesDefaultDebugExitPort(family)) c.addAll(List.of("-device", "isa-debug-exit"));
        } else if (family == Family.MULTIBOOT) {
            c.add("-semihosting");
        }
        for (SharedDir d : dirs) {
            c.addAll(List.of("-fsdev", "local,id=" + d.id() + ",path=" + escape(d.host().toString())
                    + ",security_model=none" + (d.readOnly() ? ",readonly=on" : "")));
            c.addAll(List.of("-device", "virtio-9p-pci,fsdev=" + d.id() + ",mount_tag=" + d.tag()));
        }
        if (diskFormat != null) {
            c.addAll(List.of("-drive", "if=none,id=hd0,format=" + diskFormat + ",snapshot=on,file=" + escape(image.toString()),
                    "-device", "virtio-blk-pci,drive=hd0"));
        } else {
            c.addAll(List.of("-kernel", image.toString()));
        }
        if (initrd != null) c.addAll(List.of("-initrd", initrd.toString()));
        if (!append.isEmpty()) c.addAll(List.of("-append", append));
        return c;
    }

    /** QEMU option values double a comma to mean a literal one. */
    static String escape(String value) {
        return value.replace(",", ",,");
    }
}
