package io.orchide.runtime.oci;

import io.orchide.model.App;
import io.orchide.model.Arch;
import io.orchide.runtime.LaunchException;
import io.orchide.runtime.image.ImageConfig;
import io.orchide.runtime.image.ImageResolver;
import io.orchide.runtime.image.OciImageLayout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a container's root filesystem comes from: an OCI runtime bundle (its {@code rootfs/}; its config.json is
 * ignored), an OCI image layout (unpacked into the workload's bundle), or a plain root filesystem directory.
 *
 * @param rootfs the root filesystem directory
 * @param image  the image configuration when the image was a layout, else null
 */
public record RootfsSource(Path rootfs, ImageConfig image) {

    public static RootfsSource of(App app, Path bundleDir) throws LaunchException {
        String image = app.spec().image();
        if (image == null || image.isBlank()) throw new LaunchException("spec.image", image, "is required");
        Path dir = Path.of(image).toAbsolutePath();
        if (!Files.isDirectory(dir)) {
            throw new LaunchException("spec.image", image, "is not a directory (OCI bundle, rootfs or image layout)");
        }
        if (OciImageLayout.isLayout(dir)) {
            Arch arch = app.spec().runtime() != null && app.spec().runtime().arch() != null
                    ? app.spec().runtime().arch() : Arch.host();
            Path rootfs = bundleDir.resolve("rootfs");
            try {
                OciImageLayout layout = OciImageLayout.open(dir, ImageResolver.ociArch(arch));
                if (Files.exists(rootfs)) throw new LaunchException("spec.image", image, rootfs + " already exists");
                layout.unpack(rootfs);
                return new RootfsSource(rootfs, layout.config());
            } catch (IOException e) {
                throw new LaunchException("spec.image", image, e.getMessage(), e);
            }
        }
        if (Files.isRegularFile(dir.resolve("config.json")) && Files.isDirectory(dir.resolve("rootfs"))) {
            return new RootfsSource(dir.resolve("rootfs"), null);
        }
        return new RootfsSource(dir, null);
    }
}
