package io.orchide.runtime.qemu;

import io.orchide.model.Arch;
import io.orchide.model.Family;
import io.orchide.runtime.LaunchException;
import io.orchide.runtime.inspect.KernelImage;
import io.orchide.runtime.inspect.KernelInspection;
import io.orchide.runtime.inspect.Solo5Target;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Host-side checks of the files a qemu launch boots: present, readable, of the kind the family boots (a kernel
 * for {@code -kernel}, a disk for Nanos and OSv's {@code usr.img}), and built for the guest's architecture, which
 * is inferred from the image when the App leaves {@code spec.runtime.arch} out.
 */
final class ImageCheck {
    private ImageCheck() {
    }

    /**
     * The image to boot and how.
     *
     * @param kernel     what its headers say
     * @param arch       the guest architecture: the App's, else the image's, else the host's (a disk does not say)
     * @param diskFormat qemu's {@code format=} when the image boots as a disk, null when it boots with {@code -kernel}
     */
    record Boot(Path file, KernelImage kernel, Arch arch, String diskFormat) {
        boolean isDisk() { return diskFormat != null; }
    }

    static Path readableFile(String value, String field) throws LaunchException {
        if (value == null || value.isBlank()) throw new LaunchException(field, value, "required");
        Path p = Path.of(value).toAbsolutePath().normalize();
        if (!Files.exists(p)) throw new LaunchException(field, value, "file does not exist on this node");
        if (!Files.isRegularFile(p)) throw new LaunchException(field, value, "not a regular file");
        if (!Files.isReadable(p)) throw new LaunchException(field, value, "file is not readable");
        return p;
    }

    static Boot boot(Path image, String value, Family family, Arch declared) throws LaunchException {
        KernelImage k;
        try {
            k = KernelInspection.inspect(image);
        } catch (IOException e) {
            throw new LaunchException("spec.image", value, "cannot read: " + e.getMessage(), e);
        }
        String diskFormat = switch (family) {
            case NANOS -> {
                if (k.format().isKernel())
                    throw new LaunchException("spec.image", value, "is " + k.describe() + "; the nanos family boots "
                            + "the disk image that Nanos' mkfs (or ops build) writes, with the program inside");
                yield k.format() == KernelImage.Format.QCOW2 ? "qcow2" : "raw";
            }
            case OSV -> {
                if (k.format().isDisk()) yield k.format() == KernelImage.Format.QCOW2 ? "qcow2" : "raw";
                if (!k.format().isKernel())
                    throw new LaunchException("spec.image", value, "is " + k.describe() + "; the osv family boots "
                            + "an OSv kernel (loader.elf, with -kernel) or an OSv disk image (usr.img)");
                yield null;
            }
            default -> {
                if (!k.format().isKernel())
                    throw new LaunchException("spec.image", value, "is " + k.describe() + "; the " + family.wire()
                            + " family boots a kernel with -kernel");
                yield null;
            }
        };
        if (family == Family.MIRAGE && k.solo5().isPresent() && k.solo5().get() != Solo5Target.VIRTIO)
            throw new LaunchException("spec.runtime.monitor", "qemu", "the image is a Solo5 "
                    + k.solo5().get().name().toLowerCase() + " binary (its Solo5 ABI note): it runs under "
                    + k.solo5().get().runsOn() + ", qemu runs Solo5 virtio images");
        if ((k.format() == KernelImage.Format.ELF32 || k.format() == KernelImage.Format.ELF64) && k.arch() == null)
            throw new LaunchException("spec.image", value, "is " + k.describe() + ", neither x86_64 nor aarch64");
        Arch arch = declared != null ? declared : k.archIfKnown().orElse(Arch.host());
        if (k.arch() != null && k.arch() != arch)
            throw new LaunchException("spec.runtime.arch", arch.wire(), "the image " + value + " is " + k.describe()
                    + "; leave spec.runtime.arch out to run it as the image says");
        return new Boot(image, k, arch, diskFormat);
    }

    /** The guest architecture of an App: its own, else its image's, else the host's. */
    static Arch archOf(Arch declared, String image) {
        if (declared != null) return declared;
        if (image != null && !image.isBlank()) {
            try {
                Arch a = KernelInspection.inspect(Path.of(image)).arch();
                if (a != null) return a;
            } catch (IOException | RuntimeException e) {
                // the image is gone: decode by the host's conventions
            }
        }
        return Arch.host();
    }
}
