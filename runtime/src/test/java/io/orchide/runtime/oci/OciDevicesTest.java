package io.orchide.runtime.oci;

import io.orchide.model.App;
import io.orchide.model.AppSpec;
import io.orchide.model.Arch;
import io.orchide.model.Family;
import io.orchide.model.Metadata;
import io.orchide.model.Monitor;
import io.orchide.model.Resources;
import io.orchide.model.RuntimeSpec;
import io.orchide.runtime.DeviceNode;
import io.orchide.runtime.HostDevice;
import io.orchide.runtime.Launch;
import io.orchide.runtime.LaunchException;
import io.orchide.runtime.RuntimeConfig;
import io.orchide.runtime.supervise.ConsoleRing;
import io.orchide.runtime.supervise.ShimSupervisor;
import io.orchide.runtime.supervise.TestShim;
import io.orchide.testkit.BusyboxRootfs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A container handed an accelerator's device node sees that node and can open it, and no other device: its device
 * cgroup denies the rest. The fake accelerators are character devices of major 240 (reserved for local use: no
 * driver, so opening an allowed one fails with "No such device or address", a denied one with "Operation not
 * permitted").
 */
class OciDevicesTest {
    @TempDir
    Path tmp;

    private final TestShim.Recorder recorder = new TestShim.Recorder();
    private RuntimeConfig config;
    private ShimSupervisor supervisor;
    private Runnable cleanup = () -> { };

    @BeforeEach
    void setUp() {
        config = TestShim.config(tmp.resolve("state"), 1 << 16);
        supervisor = new ShimSupervisor(config, recorder);
    }

    @AfterEach
    void tearDown() {
        cleanup.run();
        supervisor.close();
    }

    private static App app(String rootfs, String script) {
        return new App(new Metadata("gpu-box", null, null), new AppSpec(rootfs, null,
                new RuntimeSpec(Family.CONTAINER, Monitor.RUNC, Arch.host(), null), List.of("/bin/sh", "-c", script),
                Map.of(), new Resources(1, 32, null), null, List.of(), List.of()));
    }

    private Path mknod(String name, int minor) throws Exception {
        Path p = tmp.resolve(name);
        Process mk = new ProcessBuilder("mknod", p.toString(), "c", "240", Integer.toString(minor))
                .redirectErrorStream(true).start();
        Assumptions.assumeTrue(mk.waitFor() == 0, "mknod needs root: " + new String(mk.getInputStream().readAllBytes()));
        return p;
    }

    @Test
    void aContainerSeesItsAcceleratorAndNoOtherDevice() throws Exception {
        Path granted = mknod("fake-gpu0", 0);
        Path other = mknod("fake-gpu1", 1);
        Path rootfs = BusyboxRootfs.create(tmp.resolve("rootfs"));
        String script = "ls /dev/fake-gpu0; ls /dev/fake-gpu1 2>&1 | sed 's/.*fake-gpu1.*/no fake-gpu1/'; "
                + "cat /dev/fake-gpu0 2>&1 | sed 's/.*: //'; "
                + "mknod /tmp/sneaked c 240 1 && cat /tmp/sneaked 2>&1 | sed 's/.*: //'";
        App app = app(rootfs.toString(), script);
        OciDriver driver = new OciDriver(config, Monitor.RUNC);
        Path dir = tmp.resolve("run");
        HostDevice gpu = new HostDevice("gpu-0", "gpu", List.of(granted.toString()), null);

        Launch launch = driver.prepare(app, dir, List.of(gpu));
        cleanup = () -> driver.cleanup(app, dir);
        supervisor.start(launch, dir, dir.resolve("console"));
        await().atMost(Duration.ofSeconds(30)).until(() -> !recorder.of(dir).isEmpty());

        assertThat(ConsoleRing.tail(dir.resolve("console"), 10)).containsExactly(
                "/dev/fake-gpu0", "no fake-gpu1", "No such device or address", "Operation not permitted");
        assertThat(other).exists();
    }

    @Test
    void theSpecCreatesTheNodeAndAllowsOnlyItsNumbers() throws Exception {
        Path granted = mknod("fake-npu3", 3);
        DeviceNode node = DeviceNode.of(granted.toString(), "spec.resources.accelerators");
        Path rootfs = BusyboxRootfs.create(tmp.resolve("rootfs"));

        Map<String, Object> spec = OciSpec.build(app(rootfs.toString(), "true"), rootfs, null, "c1", List.of(node));

        @SuppressWarnings("unchecked") Map<String, Object> linux = (Map<String, Object>) spec.get("linux");
        @SuppressWarnings("unchecked") Map<String, Object> resources = (Map<String, Object>) linux.get("resources");
        assertThat(linux.get("devices")).isEqualTo(List.of(Map.of("path", "/dev/fake-npu3", "type", "c",
                "major", 240L, "minor", 3L, "fileMode", 0644, "uid", 0, "gid", 0)));
        assertThat(resources.get("devices")).isEqualTo(List.of(Map.of("allow", false, "access", "rwm"),
                Map.of("allow", true, "type", "c", "major", 240L, "minor", 3L, "access", "rwm")));
    }

    @Test
    void aPathThatIsNoDeviceNodeIsRefusedNamingIt() throws Exception {
        Path file = Files.writeString(tmp.resolve("not-a-device"), "x");
        Path rootfs = BusyboxRootfs.create(tmp.resolve("rootfs"));
        HostDevice gpu = new HostDevice("gpu-0", "gpu", List.of(file.toString()), null);

        assertThatThrownBy(() -> new OciDriver(config, Monitor.RUNC).prepare(app(rootfs.toString(), "true"),
                tmp.resolve("run"), List.of(gpu)))
                .isInstanceOfSatisfying(LaunchException.class, e -> {
                    assertThat(e.field()).isEqualTo("spec.resources.accelerators");
                    assertThat(e.getMessage()).contains(file.toString()).contains("not a character or block device");
                });
    }
}
