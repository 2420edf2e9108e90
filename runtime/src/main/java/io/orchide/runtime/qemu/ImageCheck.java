package io.orchide.runtime.qemu;

import io.orchide.model.Arch;
import io.orchide.runtime.LaunchException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Host-side checks of the files a qemu launch boots: present, readable, and, for ELF kernels, built for the guest's architecture. */
final class ImageCheck {
    private static final int EM_386 = 3;
    private static final int EM_X86_64 = 62;
    private static final int EM_AARCH64 = 183;

    private ImageCheck() {
    }

    static Path readableFile(String value, String field) throws LaunchException {
        if (value == null || value.isBlank()) throw new LaunchException(field, value, "required");
        Path p = Path.of(value).toAbsolutePath().normalize();
        if (!Files.exists(p)) throw new LaunchException(field, value, "file does not exist on this node");
        if (!Files.isRegularFile(p)) throw new LaunchException(field, value, "not a regular file");
        if (!Files.isReadable(p)) throw new LaunchException(field, value, "file is not readable");
        return p;
    }

    /** Rejects an ELF kernel whose machine is not the guest's architecture; other formats pass. */
    static void elfMatches(Path image, String value, Arch arch) throws LaunchException {
        byte[] h;
        try (InputStream in = Files.newInputStream(image)) {
            h = in.readNBytes(20);
        } catch (IOException e) {
            throw new LaunchException("spec.image", value, "cannot read: " + e.getMessage(), e);
        }
        if (h.length < 20 || h[0] != 0x7f || h[1] != 'E' || h[2] != 'L' || h[3] != 'F') return;
        boolean little = h[5] == 1;
        int machine = little ? (h[18] & 0xff) | (h[19] & 0xff) << 8 : (h[19] & 0xff) | (h[18] & 0xff) << 8;
        boolean ok = arch == Arch.X86_64 ? machine == EM_386 || machine == EM_X86_64 : machine == EM_AARCH64;
        if (!ok)
            throw new LaunchException("spec.image", value, "ELF machine " + machine + " does not run on a "
                    + arch + " guest (spec.runtime.arch)");
    }
}
