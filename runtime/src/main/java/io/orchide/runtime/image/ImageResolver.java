package io.orchide.runtime.image;

import io.orchide.model.App;
import io.orchide.model.AppSpec;
import io.orchide.model.Arch;
import io.orchide.model.Family;
import io.orchide.model.Monitor;
import io.orchide.model.RuntimeSpec;
import io.orchide.runtime.LaunchException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Turns an App whose image is an OCI image layout marked by urunc ({@code com.urunc.unikernel.*}) into an App that
 * boots the unikernel inside it: the layout is unpacked once per manifest digest under {@code workDir/images}, and
 * the returned App's image (and initrd) point at the files in that rootfs, with runtime family, monitor and arch
 * taken from the image where the App leaves them unset. Any other App is returned unchanged.
 */
public final class ImageResolver {
    static final String RUNTIME_REQUIRED = "required unless the image carries com.urunc.unikernel annotations";

    public App resolve(App app, Path workDir) throws LaunchException {
        AppSpec spec = app.spec();
        RuntimeSpec rt = spec.runtime();
        Path image = spec.image() == null ? null : Path.of(spec.image());
        if (image == null || !OciImageLayout.isLayout(image)) return requireRuntime(app);
        try {
            Arch preferred = rt != null && rt.arch() != null ? rt.arch() : Arch.host();
            OciImageLayout layout = OciImageLayout.open(image, ociArch(preferred));
            Optional<UruncImage> urunc = UruncImage.fromAnnotations(layout.annotations())
                    .or(() -> UruncImage.fromAnnotations(layout.config().labels()));
            if (urunc.isEmpty() && spec.runsOnHost()) return app;
            Path rootfs = unpackCached(layout, workDir);
            if (urunc.isEmpty()) urunc = UruncImage.fromRootfs(rootfs);
            if (urunc.isEmpty()) return requireRuntime(app);
            return unikernelApp(app, layout, rootfs, urunc.get());
        } catch (IOException e) {
            throw new LaunchException("spec.image", spec.image(), e.getMessage(), e);
        }
    }

    private static App requireRuntime(App app) throws LaunchException {
        if (app.spec().runtime() == null || app.spec().runtime().family() == null) {
            throw new LaunchException("spec.runtime", null, RUNTIME_REQUIRED);
        }
        return app;
    }

    private static App unikernelApp(App app, OciImageLayout layout, Path rootfs, UruncImage u)
            throws LaunchException, IOException {
        AppSpec s = app.spec();
        RuntimeSpec rt = s.runtime();
        Family family = rt != null && rt.family() != null ? rt.family() : family(u.unikernelType());
        Monitor monitor = rt != null && rt.monitor() != null ? rt.monitor() : monitor(u.hypervisor());
        Arch arch = rt != null && rt.arch() != null ? rt.arch() : arch(layout.config().architecture());
        RuntimeSpec runtime = new RuntimeSpec(family, monitor, arch, rt == null ? null : rt.accel());
        String kernel = inside(rootfs, u.binary(), UruncImage.BINARY).toString();
        String initrd = s.initrd() != null ? s.initrd()
                : u.initrd() == null ? null : inside(rootfs, u.initrd(), UruncImage.INITRD).toString();
        List<String> args = !s.args().isEmpty() || u.cmdline() == null ? s.args()
                : Arrays.stream(u.cmdline().trim().split("\\s+")).filter(a -> !a.isEmpty()).toList();
        return new App(app.metadata(), new AppSpec(kernel, initrd, runtime, args, s.env(), s.resources(),
                s.restart(), s.inputs(), s.outputs(), s.secretEnv(), s.secretMounts(),
                s.models()));
    }

    /** Unpacks the layout into {@code workDir/images/<manifest hex>/rootfs} unless already there. */
    static Path unpackCached(OciImageLayout layout, Path workDir) throws IOException {
        Path images = workDir.resolve("images");
        Path done = images.resolve(layout.manifestDigest().replace("sha256:", ""));
        if (Files.isDirectory(done.resolve("rootfs"))) return done.resolve("rootfs");
        Files.createDirectories(images);
        Path tmp = Files.createTempDirectory(images, ".unpack-");
        try {
            layout.unpack(tmp.resolve("rootfs"));
            try {
                Files.move(tmp, done, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                if (!Files.isDirectory(done.resolve("rootfs"))) throw e; // else another resolver finished first
            }
        } finally {
            LayerUnpacker.deleteTree(tmp);
        }
        return done.resolve("rootfs");
    }

    private static Path inside(Path rootfs, String path, String key) throws LaunchException, IOException {
        Path root = rootfs.toRealPath();
        Path p = root.resolve(path.replaceFirst("^/+", "")).normalize();
        if (!p.startsWith(root) || !Files.isRegularFile(p) || !p.toRealPath().startsWith(root)) {
            throw new LaunchException("spec.image", path, key + " does not name a file inside the image");
        }
        return p.toRealPath();
    }

    static Family family(String unikernelType) throws LaunchException {
        return switch (unikernelType) {
            case "unikraft" -> Family.UNIKRAFT;
            case "mirage" -> Family.MIRAGE;
            case "osv" -> Family.OSV;
            case "nanos" -> Family.NANOS;
            case "linux" -> Family.LINUX;
            default -> throw new LaunchException("spec.image", unikernelType,
                    UruncImage.TYPE + " names a unikernel type not supported here");
        };
    }

    static Monitor monitor(String hypervisor) throws LaunchException {
        return switch (hypervisor) {
            case "qemu" -> Monitor.QEMU;
            case "hvt" -> Monitor.SOLO5_HVT;
            case "spt" -> Monitor.SOLO5_SPT;
            case "firecracker" -> Monitor.FIRECRACKER;
            default -> throw new LaunchException("spec.image", hypervisor,
                    UruncImage.HYPERVISOR + " names a hypervisor not supported here");
        };
    }

    static Arch arch(String ociArchitecture) throws LaunchException {
        if (ociArchitecture == null) return Arch.host();
        return switch (ociArchitecture) {
            case "amd64" -> Arch.X86_64;
            case "arm64" -> Arch.AARCH64;
            default -> throw new LaunchException("spec.image", ociArchitecture, "image architecture not supported");
        };
    }

    /** OCI architecture name of an Orchide architecture. */
    public static String ociArch(Arch arch) {
        return arch == Arch.AARCH64 ? "arm64" : "amd64";
    }
}
