package io.orchide.runtime.inspect;

import io.orchide.model.Arch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static io.orchide.runtime.inspect.TinyImages.Section.progbits;
import static org.assertj.core.api.Assertions.assertThat;

class KernelInspectionTest {
    @TempDir
    Path tmp;

    private KernelImage inspect(byte[] bytes) throws Exception {
        return KernelInspection.inspect(TinyImages.write(tmp.resolve("image"), bytes));
    }

    @Test
    void elfMachineGivesTheGuestArchitecture() throws Exception {
        KernelImage arm = inspect(TinyImages.elf(true, 183, progbits(".text")));
        assertThat(arm.format()).isEqualTo(KernelImage.Format.ELF64);
        assertThat(arm.arch()).isEqualTo(Arch.AARCH64);
        assertThat(arm.describe()).isEqualTo("a 64-bit ELF kernel for aarch64");
        assertThat(inspect(TinyImages.elf(true, 62, progbits(".text"))).arch()).isEqualTo(Arch.X86_64);
        // a multiboot kernel is a 32-bit x86 ELF that an x86_64 VM boots
        KernelImage multiboot = inspect(TinyImages.elf(false, 3, progbits(".text")));
        assertThat(multiboot.format()).isEqualTo(KernelImage.Format.ELF32);
        assertThat(multiboot.arch()).isEqualTo(Arch.X86_64);
        KernelImage riscv = inspect(TinyImages.elf(true, 243));
        assertThat(riscv.arch()).isNull();
        assertThat(riscv.describe()).isEqualTo("a 64-bit ELF kernel for ELF machine 243");
    }

    @Test
    void arm64ImageHeaderIsAnAarch64Kernel() throws Exception {
        KernelImage k = inspect(TinyImages.arm64Image());
        assertThat(k.format()).isEqualTo(KernelImage.Format.ARM64_IMAGE);
        assertThat(k.format().isKernel()).isTrue();
        assertThat(k.arch()).isEqualTo(Arch.AARCH64);
    }

    @Test
    void disksAndOtherFilesHaveNoArchitecture() throws Exception {
        KernelImage disk = inspect(TinyImages.bootDisk());
        assertThat(disk.format()).isEqualTo(KernelImage.Format.DISK);
        assertThat(disk.format().isDisk()).isTrue();
        assertThat(disk.arch()).isNull();
        assertThat(inspect(new byte[]{'Q', 'F', 'I', (byte) 0xfb, 0, 0, 0, 3}).format()).isEqualTo(KernelImage.Format.QCOW2);
        assertThat(inspect("#!/bin/sh\necho hi\n".getBytes()).format()).isEqualTo(KernelImage.Format.OTHER);
        assertThat(inspect(new byte[0]).format()).isEqualTo(KernelImage.Format.OTHER);
    }

    @Test
    void unikraftLibraryParametersAreSeenBySection() throws Exception {
        assertThat(inspect(TinyImages.elf(true, 62, progbits(".text"), progbits(".uk_libparam_params")))
                .hasUnikraftLibParams()).isTrue();
        // releases before 0.13 had one section per library
        assertThat(inspect(TinyImages.elf(false, 3, progbits(".uk_lib_arg__lib_param"))).hasUnikraftLibParams()).isTrue();
        assertThat(inspect(TinyImages.elf(true, 62, progbits(".text"), progbits(".uk_ctortab"))).hasUnikraftLibParams())
                .isFalse();
    }

    @Test
    void solo5AbiNoteNamesTheTarget() throws Exception {
        assertThat(inspect(TinyImages.elf(true, 62, TinyImages.solo5Abi(1))).solo5()).contains(Solo5Target.HVT);
        assertThat(inspect(TinyImages.elf(true, 62, progbits(".text"), TinyImages.solo5Abi(2))).solo5())
                .contains(Solo5Target.SPT);
        assertThat(inspect(TinyImages.elf(true, 62, progbits(".text"))).solo5()).isEmpty();
    }

    @Test
    void truncatedSectionTableIsIgnoredNotTrusted() throws Exception {
        byte[] elf = TinyImages.elf(true, 62, progbits(".uk_libparam_params"));
        byte[] cut = java.util.Arrays.copyOf(elf, elf.length - 10);
        KernelImage k = inspect(cut);
        assertThat(k.arch()).isEqualTo(Arch.X86_64);
        assertThat(k.sections()).isEmpty();
    }
}
