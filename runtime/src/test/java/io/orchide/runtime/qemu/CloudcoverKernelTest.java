package io.orchide.runtime.qemu;

import io.orchide.testkit.Examples;
import io.orchide.model.Accel;
import io.orchide.model.App;
import io.orchide.model.Arch;
import io.orchide.model.Family;
import io.orchide.model.Mount;
import io.orchide.runtime.ExitStatus;
import io.orchide.runtime.RawExit;
import io.orchide.runtime.RunningWorkload;
import io.orchide.runtime.RuntimeConfig;
import io.orchide.runtime.supervise.ConsoleRing;
import io.orchide.runtime.supervise.ShimSupervisor;
import io.orchide.runtime.supervise.TestShim;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The cloudcover unikernel (examples/unikernels/cloudcover) as a pipeline step: the qemu driver shares the input
 * directory as the 9p tag {@code scene} (read-only) and the output directory as {@code out}; the kernel reads the
 * first PGM scene and writes {@code cover.txt}. Runs under the real shim, with TCG.
 */
class CloudcoverKernelTest {
    @TempDir
    Path tmp;
    private Path kernel;

    private record Result(ExitStatus status, String console, long millis) {
    }

    @BeforeEach
    void needsQemuAndKernel() throws Exception {
        RuntimeConfig probe = Apps.config(tmp.resolve("state"), Accel.TCG);
        assumeTrue(new QemuBinaries(probe).find(Arch.X86_64).isPresent(), "qemu-system-x86_64 is not installed");
        // a kernel that does not build fails the test with make's output (Examples.make): never a silent skip
        kernel = Examples.cloudcoverKernel();
    }

    /** A binary PGM whose first {@code bright} pixels (in a shuffled order) are >= 200, the rest below. */
    private static byte[] pgm(int width, int height, int bright, long seed) {
        int n = width * height;
        byte[] px = new byte[n];
        Random rnd = new Random(seed);
        for (int i = 0; i < n; i++) px[i] = (byte) (i < bright ? 200 + rnd.nextInt(56) : rnd.nextInt(200));
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            byte t = px[i];
            px[i] = px[j];
            px[j] = t;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(n + 64);
        out.writeBytes(("P5\n# orchide test scene\n" + width + " " + height + "\n255\n").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(px);
        return out.toByteArray();
    }

    private Result run(String name, Path in, Path out, List<String> args) throws Exception {
        RuntimeConfig config = new RuntimeConfig(TestShim.path(), Map.of(), Accel.TCG, 1 << 16, tmp.resolve("state"));
        QemuDriver driver = new QemuDriver(config, null);
        App app = Apps.app("cloudcover", Family.MULTIBOOT, Arch.X86_64, Accel.TCG, kernel.toString(), null, args,
                Map.of(), List.of(new Mount("scene", in.toString(), "/scene", 0)),
                List.of(new Mount("out", out.toString(), "/out", 0)));
        TestShim.Recorder recorder = new TestShim.Recorder();
        Path dir = tmp.resolve("run-" + name);
        var launch = driver.prepare(app, dir);
        assertThat(launch.command()).contains("virtio-9p-pci,fsdev=fs0,mount_tag=scene",
                "virtio-9p-pci,fsdev=fs1,mount_tag=out", "-accel", "tcg");
        RawExit exit;
        long t0 = System.nanoTime();
        try (ShimSupervisor supervisor = new ShimSupervisor(config, recorder)) {
            RunningWorkload w = supervisor.start(launch, dir, dir.resolve("console"));
            assertThat(w.monitorPid()).isPositive();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                    .until(() -> !recorder.exits.isEmpty());
            exit = recorder.exits.getFirst().exit();
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        String console = String.join("\n", ConsoleRing.tail(dir.resolve("console"), 50));
        driver.cleanup(app, dir);
        return new Result(driver.decode(app, exit), console, ms);
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    @Test
    void writesTheCloudCoverOfTheFirstScene() throws Exception {
        Path in = Files.createDirectories(tmp.resolve("in"));
        Path out = tmp.resolve("out");
        // 64x50 = 3200 pixels, 736 bright: 23 %
        Files.write(in.resolve("scene-0001.pgm"), pgm(64, 50, 736, 1));
        // not picked: hidden, and later by name
        Files.writeString(in.resolve(".hidden"), "not a scene");
        Files.writeString(in.resolve("zz-notes.txt"), "not a scene");

        Result r = run("small", in, out, List.of());
        System.out.println("cloudcover 64x50 boot to exit under TCG: " + r.millis() + " ms");
        assertThat(r.status().success()).as(r.console()).isTrue();
        assertThat(r.status().guestCode()).isZero();
        assertThat(r.console()).contains("cloudcover: scene-0001.pgm 64x50 cover=23%");
        assertThat(Files.readString(out.resolve("cover.txt"))).isEqualTo("23\n");
        assertThat(files(in)).hasSize(3);   // the input share is read-only and untouched
    }

    @Test
    void aFileThatIsNotAPgmFailsWithCode2AndWritesNothing() throws Exception {
        Path in = Files.createDirectories(tmp.resolve("in"));
        Path out = tmp.resolve("out");
        Files.writeString(in.resolve("scene-0002.pgm"), "this is not an image\n");

        Result r = run("bad", in, out, List.of());
        assertThat(r.status().success()).isFalse();
        assertThat(r.status().guestCode()).as(r.console()).isEqualTo(2);
        assertThat(r.console()).contains("scene-0002.pgm: not a valid binary PGM");
        assertThat(files(out)).isEmpty();
    }

    @Test
    void aMissingShareFailsWithCode3() throws Exception {
        Path in = Files.createDirectories(tmp.resolve("in"));
        Files.write(in.resolve("s.pgm"), pgm(4, 4, 4, 2));

        Result r = run("missing", in, tmp.resolve("out"), List.of("in=nothing"));
        assertThat(r.status().guestCode()).as(r.console()).isEqualTo(3);
        assertThat(r.console()).contains("no virtio-9p device with mount tag \"nothing\"");
    }

    @Test
    void aLargeSceneIsStreamed() throws Exception {
        Path in = Files.createDirectories(tmp.resolve("in"));
        Path out = tmp.resolve("out");
        // 2000x2000 = 4,000,000 pixels (far more than the kernel's 64 KiB buffers), 2,440,000 bright: 61 %
        Files.write(in.resolve("big.pgm"), pgm(2000, 2000, 2_440_000, 3));

        Result r = run("large", in, out, List.of("threshold=200"));
        System.out.println("cloudcover 2000x2000 boot to exit under TCG: " + r.millis() + " ms");
        assertThat(r.status().success()).as(r.console()).isTrue();
        assertThat(r.console()).contains("cloudcover: big.pgm 2000x2000 cover=61%");
        assertThat(Files.readString(out.resolve("cover.txt"))).isEqualTo("61\n");
    }
}
