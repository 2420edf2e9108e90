package io.orchide.runtime.inspect;

import io.orchide.model.Arch;

import java.util.List;
import java.util.Optional;

/**
 * What the first bytes of an image file say about it: its format, the architecture it is built for when the
 * format tells, the ELF section names (Unikraft marks its library parameters with a section), and the Solo5
 * binding it targets.
 *
 * @param format      the kind of file
 * @param arch        the guest architecture, null when the format does not tell (disks) or it is not one Orchide runs
 * @param machine     the ELF {@code e_machine}, 0 for other formats
 * @param sections    the ELF section names, empty for other formats or when the section table is stripped
 * @param solo5Target the Solo5 binding from the ABI1 note, null when there is none
 */
public record KernelImage(Format format, Arch arch, int machine, List<String> sections, Solo5Target solo5Target) {
    /**
     * Section of Unikraft 0.13 and later holding every library parameter; earlier releases used one section per
     * library, named with the {@code .uk_libparam} or {@code .uk_lib_arg} prefix.
     */
    static final String UK_LIBPARAM_SECTION = ".uk_libparam_params";
    private static final List<String> UK_LIBPARAM_PREFIXES = List.of(".uk_libparam", ".uk_lib_arg");

    public KernelImage {
        sections = List.copyOf(sections);
    }

    /** Kinds of image file. */
    public enum Format {
        ELF32("a 32-bit ELF kernel"), ELF64("a 64-bit ELF kernel"), ARM64_IMAGE("an arm64 Linux Image kernel"),
        BZIMAGE("an x86 bzImage kernel"), QCOW2("a qcow2 disk image"), DISK("a raw disk image (boot sector)"),
        OTHER("neither a kernel (ELF, arm64 Image, bzImage) nor a disk image with a boot sector");

        private final String text;

        Format(String text) {
            this.text = text;
        }

        public String text() { return text; }

        /** A file qemu boots with {@code -kernel}. */
        public boolean isKernel() { return this == ELF32 || this == ELF64 || this == ARM64_IMAGE || this == BZIMAGE; }

        /** A file qemu boots as a disk. */
        public boolean isDisk() { return this == QCOW2 || this == DISK; }
    }

    public Optional<Arch> archIfKnown() { return Optional.ofNullable(arch); }

    public Optional<Solo5Target> solo5() { return Optional.ofNullable(solo5Target); }

    /** Whether a Unikraft image was built with library parameters ({@code uklibparam}), so it parses {@code -- }. */
    public boolean hasUnikraftLibParams() {
        return sections.stream().anyMatch(s -> s.equals(UK_LIBPARAM_SECTION)
                || UK_LIBPARAM_PREFIXES.stream().anyMatch(s::startsWith));
    }

    /** E.g. "a 64-bit ELF kernel for aarch64", "a qcow2 disk image". */
    public String describe() {
        if (format == Format.ELF32 || format == Format.ELF64)
            return format.text() + (arch != null ? " for " + arch.wire() : " for ELF machine " + machine);
        return format.text();
    }
}
