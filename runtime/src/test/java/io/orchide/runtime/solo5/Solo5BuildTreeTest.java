package io.orchide.runtime.solo5;

import io.orchide.model.Accel;
import io.orchide.model.App;
import io.orchide.model.AppSpec;
import io.orchide.model.Arch;
import io.orchide.model.Family;
import io.orchide.model.Metadata;
import io.orchide.model.Monitor;
import io.orchide.model.Mount;
import io.orchide.model.Resources;
import io.orchide.model.RuntimeSpec;
import io.orchide.runtime.ExitStatus;
import io.orchide.runtime.Launch;
import io.orchide.runtime.LaunchException;
import io.orchide.runtime.RuntimeConfig;
import io.orchide.runtime.inspect.KernelInspection;
import io.orchide.runtime.inspect.Solo5Target;
import io.orchide.runtime.supervise.ShimSupervisor;
import io.orchide.runtime.supervise.TestShim;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Solo5's own tenders and test unikernels, from a Solo5 build tree named by the environment variable
 * {@code SOLO5_BUILD} (Solo5 is not a Debian package: {@code ./configure.sh && make} in a checkout).
 */
class Solo5BuildTreeTest {
    @TempDir
    Path tmp;
    private Path tree;
    private final TestShim.Recorder recorder = new TestShim.Recorder();
    private ShimSupervisor supervisor;

    @BeforeEach
    void findTree() {
        String env = System.getenv("SOLO5_BUILD");
        assumeTrue(env != null && Files.isExecutable(Path.of(env, "tenders/spt/solo5-spt")),
                "SOLO5_BUILD does not name a Solo5 build tree");
        tree = Path.of(env);
    }

    @AfterEach
    void close() {
        if (supervisor != null) supervisor.close();
    }

    private RuntimeConfig config() {
        return new RuntimeConfig(TestShim.path(), Map.of(Monitor.SOLO5_SPT, tree.resolve("tenders/spt/solo5-spt"),
                Monitor.SOLO5_HVT, tree.resolve("tenders/hvt/solo5-hvt")), Accel.AUTO, 1 << 16, tmp.resolve("state"));
    }

    private static App app(Monitor m, Path image, List<Mount> inputs) {
        return new App(new Metadata("blk", null, Map.of()), new AppSpec(image.toString(), null,
                new RuntimeSpec(Family.MIRAGE, m, null, Accel.AUTO), List.of(), Map.of(),
                new Resources(1, 32, null), null, inputs, List.of()));
    }

    @Test
    void theAbiNoteOfEachBindingIsRead() throws Exception {
        assertThat(KernelInspection.inspect(tree.resolve("tests/test_blk/test_blk.hvt")).solo5()).contains(Solo5Target.HVT);
        assertThat(KernelInspection.inspect(tree.resolve("tests/test_blk/test_blk.spt")).solo5()).contains(Solo5Target.SPT);
        assertThat(KernelInspection.inspect(tree.resolve("tests/test_blk/test_blk.virtio")).solo5()).contains(Solo5Target.VIRTIO);
    }

    @Test
    void anHvtBinaryUnderSptIsRefusedAtPrepare() throws Exception {
        Path input = Files.write(tmp.resolve("disk.img"), new byte[1 << 20]);
        Path hvt = tree.resolve("tests/test_blk/test_blk.hvt");
        assertThatThrownBy(() -> new Solo5Driver(config()).prepare(app(Monitor.SOLO5_SPT, hvt,
                List.of(new Mount("storage", input.toString(), null, 0))), tmp.resolve("run")))
                .isInstanceOfSatisfying(LaunchException.class, e -> {
                    assertThat(e.field()).isEqualTo("spec.runtime.monitor");
                    assertThat(e.getMessage()).contains("runs under solo5-hvt");
                });
    }

    @Test
    void testBlkWritesItsOwnCopyNeverTheInput() throws Exception {
        Path input = tmp.resolve("disk.img");
        byte[] data = new byte[1 << 20];
        for (int i = 0; i < data.length; i++) data[i] = (byte) (i * 31);
        Files.write(input, data);
        String before = sha256(input);
        Solo5Driver driver = new Solo5Driver(config());
        App app = app(Monitor.SOLO5_SPT, tree.resolve("tests/test_blk/test_blk.spt"),
                List.of(new Mount("storage", input.toString(), null, 0)));
        Path dir = tmp.resolve("run");
        supervisor = new ShimSupervisor(config(), recorder);
        supervisor.start(driver.prepare(app, dir), dir, dir.resolve("console"));
        await().atMost(Duration.ofSeconds(30)).until(() -> !recorder.of(dir).isEmpty());
        ExitStatus status = driver.decode(app, recorder.of(dir).getFirst().exit());
        assertThat(Files.readString(dir.resolve("console"))).contains("SUCCESS");
        assertThat(status.success()).as(status.reason()).isTrue();
        assertThat(sha256(input)).isEqualTo(before);
        assertThat(sha256(dir.resolve("blocks/storage.img"))).as("the guest wrote its copy").isNotEqualTo(before);
    }

    @Test
    void aTenderThatFailsBeforeTheGuestRunsIsALaunchFailureNotAGuestExit() throws Exception {
        Path input = Files.write(tmp.resolve("disk.img"), new byte[1 << 20]);
        App app = app(Monitor.SOLO5_SPT, tree.resolve("tests/test_blk/test_blk.spt"),
                List.of(new Mount("storage", input.toString(), null, 0)));
        Path dir = tmp.resolve("run");
        Launch prepared = new Solo5Driver(config()).prepare(app, dir);
        // without its block device the tender refuses to load the guest and exits 1, a guest's SOLO5_EXIT_FAILURE too
        Launch launch = new Launch(prepared.command().stream().filter(a -> !a.startsWith("--block:")).toList(),
                prepared.env(), prepared.startCheck());
        supervisor = new ShimSupervisor(config(), recorder);
        assertThatThrownBy(() -> supervisor.start(launch, dir, dir.resolve("console")))
                .isInstanceOfSatisfying(LaunchException.class, e -> assertThat(e.getMessage())
                        .contains("solo5-spt exited before the unikernel started")
                        .contains("declared but not attached"));
        assertThat(recorder.of(dir)).isEmpty();
    }

    private static String sha256(Path f) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
    }
}
