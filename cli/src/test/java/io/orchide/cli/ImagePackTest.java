package io.orchide.cli;

import io.orchide.runtime.image.OciImageLayout;
import io.orchide.runtime.image.UruncImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code orchide image pack}: the layout it writes and the options it refuses; {@code image push} beside it. */
class ImagePackTest {
    @TempDir
    Path tmp;

    record Result(int status, String out, String err) {
    }

    private static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream oldOut = System.out;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            System.setOut(o);
            int rc = TestAccess.run(args, o, e);
            return new Result(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
        }
    }

    /** The first bytes of a 64-bit little-endian ELF file for {@code machine}. */
    private Path elf(String name, int machine) throws Exception {
        byte[] b = new byte[128];
        b[0] = 0x7f; b[1] = 'E'; b[2] = 'L'; b[3] = 'F'; b[4] = 2; b[5] = 1; b[6] = 1;
        b[18] = (byte) machine; b[19] = (byte) (machine >> 8);
        return Files.write(tmp.resolve(name), b);
    }

    @Test
    void packWritesALayoutWithTheUruncAnnotationsAndTheKernelsArch() throws Exception {
        Path kernel = elf("app.elf", 183);
        Path initrd = Files.writeString(tmp.resolve("root.cpio"), "cpio");
        Result r = run("image", "pack", "--kernel", kernel.toString(), "--family", "unikraft", "--monitor", "qemu",
                "--initrd", initrd.toString(), "--cmdline", "netdev.ip=10.0.0.2 -- hello", "-o", tmp.resolve("img").toString());

        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("image/img packed: unikraft on qemu, aarch64, manifest sha256:");
        OciImageLayout layout = OciImageLayout.open(tmp.resolve("img"), "arm64");
        assertThat(layout.config().architecture()).isEqualTo("arm64");
        assertThat(UruncImage.fromAnnotations(layout.annotations())).contains(new UruncImage("unikraft", "qemu",
                "/unikernel/app.elf", "netdev.ip=10.0.0.2 -- hello", "/unikernel/root.cpio", null));
        Path rootfs = tmp.resolve("rootfs");
        layout.unpack(rootfs);
        assertThat(Files.readAllBytes(rootfs.resolve("unikernel/app.elf"))).isEqualTo(Files.readAllBytes(kernel));
        assertThat(Files.readString(rootfs.resolve("unikernel/root.cpio"))).isEqualTo("cpio");
    }

    @Test
    void solo5MonitorsAreWrittenWithUruncsNames() throws Exception {
        Path kernel = elf("hello.hvt", 62);
        assertThat(run("image", "pack", "--kernel", kernel.toString(), "--family", "mirage", "--monitor", "solo5-hvt",
                "-o", tmp.resolve("img").toString()).status()).isZero();
        assertThat(OciImageLayout.open(tmp.resolve("img"), "amd64").annotations())
                .containsEntry(UruncImage.HYPERVISOR, "hvt").containsEntry(UruncImage.TYPE, "mirage")
                .doesNotContainKeys(UruncImage.CMDLINE, UruncImage.INITRD);
    }

    @Test
    void badOptionsAreRefusedNamingTheOptionAndValueAndWriteNothing() throws Exception {
        Path kernel = elf("app.elf", 62);
        Path raw = Files.write(tmp.resolve("raw.bin"), new byte[]{1, 2, 3});
        String out = tmp.resolve("img").toString();
        String[][] cases = {
                {"--kernel", tmp.resolve("missing.elf").toString(), "--family", "unikraft", "--monitor", "qemu", "-o", out},
                {"--kernel", kernel.toString(), "--family", "multiboot", "--monitor", "qemu", "-o", out},
                {"--kernel", kernel.toString(), "--family", "unikraft", "--monitor", "solo5-hvt", "-o", out},
                {"--kernel", kernel.toString(), "--family", "unikraft", "--monitor", "runc", "-o", out},
                {"--kernel", raw.toString(), "--family", "unikraft", "--monitor", "qemu", "-o", out},
                {"--kernel", kernel.toString(), "--family", "unikraft", "--monitor", "qemu", "--arch", "riscv64", "-o", out},
        };
        String[] expected = {
                "--kernel: not a file (got " + tmp.resolve("missing.elf") + ")",
                "--family: must be one of unikraft, mirage, osv, nanos, linux (got multiboot)",
                "--monitor: solo5-hvt cannot run the unikraft family (got solo5-hvt)",
                "--monitor: must be one of firecracker, qemu, solo5-hvt, solo5-spt (got runc)",
                "--arch: the kernel is neither an ELF nor an arm64 Image",
                "--arch: must be one of x86_64, aarch64 (got riscv64)",
        };
        for (int i = 0; i < cases.length; i++) {
            String[] args = new String[cases[i].length + 2];
            args[0] = "image";
            args[1] = "pack";
            System.arraycopy(cases[i], 0, args, 2, cases[i].length);
            Result r = run(args);
            assertThat(r.status()).as(Arrays.toString(cases[i])).isNotZero();
            assertThat(r.err()).as(Arrays.toString(cases[i])).contains(expected[i]);
            assertThat(tmp.resolve("img")).as(Arrays.toString(cases[i])).doesNotExist();
        }
    }

    @Test
    void pushStillUploadsAFileAndPrintsItsName() throws Exception {
        try (FakeServer ground = FakeServer.ground()) {
            String digest = "sha256:" + "cd".repeat(32);
            ground.on("POST /api/v1/images", 201, "{\"digest\":\"" + digest + "\",\"size\":128,\"chunks\":1}");
            FakeServer.Result r = ground.run("image", "push", elf("app.elf", 62).toString());
            assertThat(r.status()).as(r.err()).isZero();
            assertThat(r.out()).endsWith(digest + "\n");
            assertThat(ground.only().path()).isEqualTo("/api/v1/images");
        }
    }
}
