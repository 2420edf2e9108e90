package io.orchide.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Stand-in Solo5 images: ELF files that run nothing but carry a Solo5 manifest note, compiled with gcc from
 * solo5-manifest.c. The defines pick what the manifest declares besides the block device {@code storage}:
 * {@code -DWITH_NET} the network {@code service}, {@code -DWITH_BROKER} the broker's mailbox
 * {@code orchidebroker}, {@code -DABI_TARGET=<n>} an ABI1 note (1 hvt, 2 spt, 3 virtio).
 */
public final class Solo5Images {
    private Solo5Images() {
    }

    /** Compiles the image {@code dir/name} with the given gcc defines. */
    public static Path compile(Path dir, String name, String... defines) throws IOException, InterruptedException {
        Path src = dir.resolve("solo5-manifest.c");
        try (InputStream in = Solo5Images.class.getResourceAsStream("solo5-manifest.c")) {
            Files.write(src, in.readAllBytes());
        }
        Path out = dir.resolve(name);
        List<String> cmd = new ArrayList<>(List.of("gcc", "-nostdlib", "-static", "-o", out.toString()));
        cmd.addAll(List.of(defines));
        cmd.add(src.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("gcc did not finish within 60 s compiling " + out);
        }
        if (p.exitValue() != 0) throw new IOException("gcc failed (" + p.exitValue() + ") compiling " + out + ": " + log);
        return out;
    }
}
