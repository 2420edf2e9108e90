package io.orchide.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code orchide image push FILE}: stores an image on ground by its content; prints its {@code sha256:} name, which
 * manifests use as {@code image:}. Ground sends a satellite only the chunks it does not hold yet.
 * {@code orchide image pack --kernel K --family F --monitor M -o DIR}: writes an OCI image layout of a unikernel
 * with urunc's annotations, which an App names as its {@code image} without a {@code runtime}.
 */
@Command(name = "image", description = "Images: image push FILE (stores it on ground, prints its sha256: name); "
        + "image pack --kernel K --family F --monitor M -o DIR (an OCI image layout with urunc's annotations).",
        subcommands = {ImageCommand.Push.class, ImageCommand.Pack.class})
final class ImageCommand implements Runnable {
    @Override
    public void run() {
        throw new CliException("image: an action is needed: push FILE, or pack --kernel K --family F --monitor M -o DIR");
    }

    /** Uploads {@code file} with a progress bar; returns its {@code sha256:} name. */
    static String push(ApiClient api, Path file) {
        return api.upload("/api/v1/images", file, "push " + file.getFileName()).path("digest").asText();
    }

    @Command(name = "push", description = "Store a kernel, initrd or other image file on ground; prints its sha256: name. "
            + "With --sign-with KEY, signs it for its tenant (nodes with a pinned root boot only signed images).")
    static final class Push implements Runnable {
        @Parameters(index = "0", paramLabel = "FILE", description = "Kernel, initrd or other image file")
        Path file;

        @Option(names = "--tenant", description = "The tenant the image is pushed for (default: the context's, else "
                + "the caller's only tenant)")
        String tenant;

        @Option(names = "--sign-with", paramLabel = "KEY", description = "Sign the image with this private key "
                + "(KEY.key, its .pub beside it), one the root delegated to the tenant (orchide keys delegate)")
        Path signWith;

        @Mixin
        ServerOption server;

        @Override
        public void run() {
            if (!Files.isRegularFile(file)) throw new CliException("image push: " + file + " is not a file");
            ApiClient api = server.client();
            String t = server.tenant(tenant);
            String path = "/api/v1/images" + (t == null ? "" : "?tenant=" + java.net.URLEncoder.encode(t, java.nio.charset.StandardCharsets.UTF_8));
            java.security.KeyPair key = signWith == null ? null : KeysCommand.load(signWith, "--sign-with"); // before the upload
            com.fasterxml.jackson.databind.JsonNode pushed = api.upload(path, file, "push " + file.getFileName());
            if (key == null) {
                System.out.println(pushed.path("digest").asText());
                return;
            }
            System.out.println(ImageSigning.sign(api, file, pushed, key));
        }
    }

    @Command(name = "pack", description = "Write an OCI image layout holding a unikernel, with the urunc annotations "
            + "(com.urunc.unikernel.*) that let an App name it as its image without a runtime.")
    static final class Pack implements Runnable {
        @Option(names = "--kernel", required = true, paramLabel = "FILE", description = "The unikernel binary")
        Path kernel;

        @Option(names = "--family", required = true, description = "unikraft, mirage (every Solo5 binary), osv, nanos or linux")
        String family;

        @Option(names = "--monitor", required = true, description = "qemu, solo5-hvt, solo5-spt or firecracker")
        String monitor;

        @Option(names = "--arch", description = "x86_64 or aarch64 (default: read from the kernel)")
        String arch;

        @Option(names = "--initrd", paramLabel = "FILE", description = "An initrd to boot with the kernel")
        Path initrd;

        @Option(names = "--cmdline", description = "The unikernel's command line; an App's args replace it")
        String cmdline;

        @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR", description = "Directory to write (new or empty)")
        Path out;

        @Override
        public void run() {
            ImagePack pack = ImagePack.of(kernel, family, monitor, arch, initrd, cmdline);
            if (Files.exists(out) && !emptyDirectory(out)) {
                throw new CliException("-o: must be a new or an empty directory (got " + out + ")");
            }
            String digest;
            try {
                digest = pack.writeTo(out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            System.out.println("image/" + out.getFileName() + " packed: " + pack.family() + " on " + pack.monitor()
                    + ", " + pack.arch() + ", manifest " + digest);
        }

        private static boolean emptyDirectory(Path dir) {
            if (!Files.isDirectory(dir)) return false;
            try (var entries = Files.list(dir)) {
                return entries.findAny().isEmpty();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
