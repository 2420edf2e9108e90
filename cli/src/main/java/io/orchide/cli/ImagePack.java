package io.orchide.cli;

import io.orchide.model.Arch;
import io.orchide.model.Compatibility;
import io.orchide.model.Family;
import io.orchide.model.Monitor;
import io.orchide.runtime.image.ImageResolver;
import io.orchide.runtime.image.OciImageLayoutWriter;
import io.orchide.runtime.image.UruncImage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Packs a unikernel (and its initrd) into an OCI image layout carrying urunc's {@code com.urunc.unikernel.*}
 * annotations, so that an App whose {@code image} is the layout needs no {@code runtime}. The files go under
 * {@code /unikernel/} in the image.
 *
 * @param arch null: read from the kernel (an ELF's machine, an arm64 Image header), else refused
 */
record ImagePack(Path kernel, Family family, Monitor monitor, Arch arch, Path initrd, String cmdline) {
    /** The families urunc names, with the name each has there (the same as Orchide's). */
    static final List<Family> FAMILIES = List.of(Family.UNIKRAFT, Family.MIRAGE, Family.OSV, Family.NANOS, Family.LINUX);
    /** The monitors urunc names, by their name there. */
    static final Map<Monitor, String> HYPERVISORS = Map.of(Monitor.QEMU, "qemu", Monitor.SOLO5_HVT, "hvt",
            Monitor.SOLO5_SPT, "spt", Monitor.FIRECRACKER, "firecracker");
    static final String DIR = "unikernel/";

    private static final int EM_386 = 3;
    private static final int EM_X86_64 = 62;
    private static final int EM_AARCH64 = 183;

    /** Checks the options against each other and the files, each error naming its option and value. */
    static ImagePack of(Path kernel, String family, String monitor, String arch, Path initrd, String cmdline) {
        if (!Files.isRegularFile(kernel)) throw new CliException("--kernel: not a file (got " + kernel + ")");
        if (initrd != null && !Files.isRegularFile(initrd)) throw new CliException("--initrd: not a file (got " + initrd + ")");
        Family f = choice("--family", family, FAMILIES.stream().map(Family::wire).toList(), Family::fromWire);
        Monitor m = choice("--monitor", monitor, HYPERVISORS.keySet().stream().map(Monitor::wire).sorted().toList(),
                Monitor::fromWire);
        if (!Compatibility.runs(m, f)) {
            throw new CliException("--monitor: " + m + " cannot run the " + f + " family (got " + monitor + ")");
        }
        Arch a = arch == null ? null : choice("--arch", arch, Arrays.stream(Arch.values()).map(Arch::wire).toList(), Arch::fromWire);
        if (a == null) {
            a = kernelArch(kernel).orElseThrow(() -> new CliException(
                    "--arch: the kernel is neither an ELF nor an arm64 Image, so its architecture cannot be read: give --arch x86_64 or aarch64 (got " + kernel + ")"));
        }
        if (cmdline != null && cmdline.isBlank()) throw new CliException("--cmdline: must not be blank (got \"" + cmdline + "\")");
        return new ImagePack(kernel, f, m, a, initrd, cmdline);
    }

    /** The annotations the image carries. */
    UruncImage urunc() {
        return new UruncImage(family.wire(), HYPERVISORS.get(monitor), "/" + DIR + kernel.getFileName(), cmdline,
                initrd == null ? null : "/" + DIR + initrd.getFileName(), null);
    }

    /** Writes the layout into {@code out}; returns the manifest digest. */
    String writeTo(Path out) throws IOException {
        List<OciImageLayoutWriter.File> files = new ArrayList<>();
        files.add(new OciImageLayoutWriter.File(DIR + kernel.getFileName(), Files.readAllBytes(kernel), 0755));
        if (initrd != null) {
            if (initrd.getFileName().equals(kernel.getFileName())) {
                throw new CliException("--initrd: must have another file name than the kernel (got " + initrd + ")");
            }
            files.add(new OciImageLayoutWriter.File(DIR + initrd.getFileName(), Files.readAllBytes(initrd), 0644));
        }
        return OciImageLayoutWriter.write(out, ImageResolver.ociArch(arch), files, urunc().annotations());
    }

    /** The architecture an ELF's machine field or an arm64 Image header names; empty for anything else. */
    static Optional<Arch> kernelArch(Path kernel) {
        byte[] head = new byte[64];
        int n;
        try (var in = Files.newInputStream(kernel)) {
            n = in.readNBytes(head, 0, head.length);
        } catch (IOException e) {
            throw new CliException("--kernel: cannot read " + kernel + ": " + e.getMessage());
        }
        ByteBuffer b = ByteBuffer.wrap(head, 0, n).order(ByteOrder.LITTLE_ENDIAN);
        if (n >= 20 && head[0] == 0x7f && head[1] == 'E' && head[2] == 'L' && head[3] == 'F' && head[5] == 1) {
            return switch (b.getShort(18)) {
                // a 32-bit x86 ELF is how qemu's -kernel takes a multiboot kernel for x86_64 (Unikraft's too)
                case EM_386, EM_X86_64 -> Optional.of(Arch.X86_64);
                case EM_AARCH64 -> Optional.of(Arch.AARCH64);
                default -> Optional.empty();
            };
        }
        // the arm64 Linux boot protocol's Image header: magic "ARM\x64" at offset 56
        if (n >= 60 && b.getInt(56) == 0x644d5241) return Optional.of(Arch.AARCH64);
        return Optional.empty();
    }

    private static <T> T choice(String option, String value, List<String> allowed, java.util.function.Function<String, T> parse) {
        if (!allowed.contains(value)) {
            throw new CliException(option + ": must be one of " + String.join(", ", allowed) + " (got " + value + ")");
        }
        return parse.apply(value);
    }
}
