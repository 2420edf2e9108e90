package io.orchide.runtime.oci;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A root filesystem holding only the host's static busybox and a few applet links. */
final class BusyboxRootfs {
    static final Path BUSYBOX = Path.of("/bin/busybox");

    private BusyboxRootfs() {
    }

    static Path create(Path rootfs) throws IOException {
        Path bin = Files.createDirectories(rootfs.resolve("bin"));
        Files.copy(BUSYBOX, bin.resolve("busybox"));
        for (String applet : new String[]{"sh", "cat", "echo", "sleep", "touch", "ls", "id"}) {
            Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
        }
        for (String d : new String[]{"proc", "dev", "sys", "tmp"}) Files.createDirectories(rootfs.resolve(d));
        return rootfs;
    }
}
