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
import io.orchide.runtime.LaunchException;
import io.orchide.runtime.Probe;
import io.orchide.runtime.RawExit;
import io.orchide.runtime.RuntimeConfig;
import io.orchide.testkit.Solo5Images;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Manifest reading and launch preparation against images built here with a hand-made manifest note. */
class Solo5DriverTest {
    @TempDir
    Path tmp;

    /** An ELF carrying a Solo5 manifest, built by {@link Solo5Images}. */
    private Path image(String name, String... defines) throws Exception {
        return Solo5Images.compile(tmp, name, defines);
    }

    private Path fakeTender(String name) throws IOException {
        Path t = tmp.resolve("bin").resolve(name);
        Files.createDirectories(t.getParent());
        Files.writeString(t, "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(t, PosixFilePermissions.fromString("rwxr-xr-x"));
        return t;
    }

    private Solo5Driver driver(Monitor m) throws IOException {
        return new Solo5Driver(new RuntimeConfig(null, Map.of(m, fakeTender(m.wire())), Accel.AUTO, 0, tmp));
    }

    private static App app(Monitor m, Path image, List<Mount> inputs, List<Mount> outputs) {
        return new App(new Metadata("mirage", null, Map.of()), new AppSpec(image.toString(), null,
                new RuntimeSpec(Family.MIRAGE, m, Arch.host(), Accel.AUTO), List.of("--hello=world"), Map.of(),
                new Resources(1, 32, null), null, inputs, outputs));
    }

    @Test
    void readsTheManifest() throws Exception {
        assertThat(Solo5Driver.manifest(image("block.elf"))).hasValueSatisfying(m -> assertThat(m.devices())
                .containsExactly(new Solo5Manifest.Device("storage", Solo5Manifest.Type.BLOCK_BASIC)));
        assertThat(Solo5Driver.manifest(image("net.elf", "-DWITH_NET")).orElseThrow().devices()).containsExactly(
                new Solo5Manifest.Device("storage", Solo5Manifest.Type.BLOCK_BASIC),
                new Solo5Manifest.Device("service", Solo5Manifest.Type.NET_BASIC));
    }

    @Test
    void attachesDeclaredBlockDevicesAndCreatesOutputs() throws Exception {
        Path img = image("block.elf");
        Path disk = tmp.resolve("out/disk.img");
        Solo5Driver d = driver(Monitor.SOLO5_SPT);
        var launch = d.prepare(app(Monitor.SOLO5_SPT, img, List.of(), List.of(new Mount("storage", disk.toString(), null, 4))),
                tmp.resolve("run"));
        assertThat(launch.command()).containsExactly(tmp.resolve("bin/solo5-spt").toString(), "--mem=32",
                "--block:storage=" + disk, "--", img.toString(), "--hello=world");
        assertThat(Files.size(disk)).isEqualTo(4L << 20);
    }

    @Test
    void anInputBlockDeviceIsTheGuestsOwnCopy() throws Exception {
        Path img = image("block.elf");
        Path input = tmp.resolve("in/disk.img");
        Files.createDirectories(input.getParent());
        byte[] original = new byte[1024];
        original[0] = 42;
        Files.write(input, original);
        Path run = tmp.resolve("run");
        var launch = driver(Monitor.SOLO5_SPT).prepare(
                app(Monitor.SOLO5_SPT, img, List.of(new Mount("storage", input.toString(), null, 0)), List.of()), run);
        String block = launch.command().stream().filter(a -> a.startsWith("--block:storage=")).findFirst().orElseThrow();
        Path attached = Path.of(block.substring("--block:storage=".length()));
        assertThat(attached).isNotEqualTo(input).startsWith(run.toAbsolutePath()).hasBinaryContent(original);
        // whatever the guest writes to its device, the user's file stays as it was
        Files.write(attached, new byte[1024]);
        assertThat(input).hasBinaryContent(original);
    }

    @Test
    void anImageBuiltForAnotherTenderIsRefusedAtPrepare() throws Exception {
        Path hvt = image("hvt.elf", "-DABI_TARGET=1");
        Path out = tmp.resolve("out/disk.img");
        assertThatThrownBy(() -> driver(Monitor.SOLO5_SPT).prepare(app(Monitor.SOLO5_SPT, hvt, List.of(),
                List.of(new Mount("storage", out.toString(), null, 1))), tmp.resolve("run")))
                .isInstanceOfSatisfying(LaunchException.class, e -> {
                    assertThat(e.field()).isEqualTo("spec.runtime.monitor");
                    assertThat(e.value()).isEqualTo("solo5-spt");
                    assertThat(e.getMessage()).contains("Solo5 hvt binary").contains("runs under solo5-hvt");
                });
        Path spt = image("spt.elf", "-DABI_TARGET=2");
        assertThat(driver(Monitor.SOLO5_SPT).prepare(app(Monitor.SOLO5_SPT, spt, List.of(),
                List.of(new Mount("storage", out.toString(), null, 1))), tmp.resolve("run2")).command())
                .contains("--block:storage=" + out);
    }

    @Test
    void missingDevicesAreNamed() throws Exception {
        Path img = image("block.elf");
        Solo5Driver d = driver(Monitor.SOLO5_SPT);
        assertThatThrownBy(() -> d.prepare(app(Monitor.SOLO5_SPT, img, List.of(), List.of()), tmp.resolve("run")))
                .isInstanceOfSatisfying(LaunchException.class, e -> {
                    assertThat(e.value()).isEqualTo("storage");
                    assertThat(e.getMessage()).contains("block device 'storage'");
                });
        assertThatThrownBy(() -> d.prepare(app(Monitor.SOLO5_SPT, img, List.of(new Mount("storage", tmp.resolve("none.img").toString(), null, 0)),
                List.of()), tmp.resolve("run")))
                .isInstanceOfSatisfying(LaunchException.class, e -> assertThat(e.field()).isEqualTo("spec.inputs[0].path"));
        assertThatThrownBy(() -> d.prepare(app(Monitor.SOLO5_SPT, img, List.of(), List.of(new Mount("other", tmp.resolve("o.img").toString(), null, 1))),
                tmp.resolve("run")))
                .isInstanceOfSatisfying(LaunchException.class, e -> assertThat(e.field()).isEqualTo("spec.outputs[0].name"));
        Path net = image("net.elf", "-DWITH_NET");
        assertThatThrownBy(() -> d.prepare(app(Monitor.SOLO5_SPT, net, List.of(), List.of(new Mount("storage", tmp.resolve("n.img").toString(), null, 1))),
                tmp.resolve("run")))
                .isInstanceOfSatisfying(LaunchException.class, e -> {
                    assertThat(e.value()).isEqualTo("service");
                    assertThat(e.getMessage()).contains("NET_BASIC");
                });
    }

    @Test
    void notASolo5Image() throws Exception {
        Path plain = tmp.resolve("plain.elf");
        Files.copy(Path.of("/bin/true"), plain);
        Solo5Driver d = driver(Monitor.SOLO5_SPT);
        assertThatThrownBy(() -> d.prepare(app(Monitor.SOLO5_SPT, plain, List.of(), List.of()), tmp.resolve("run")))
                .isInstanceOfSatisfying(LaunchException.class, e -> assertThat(e.field()).isEqualTo("spec.image"));
    }

    @Test
    void missingTenderIsReported() {
        Solo5Driver d = new Solo5Driver(new RuntimeConfig(null, Map.of(Monitor.SOLO5_HVT, tmp.resolve("nope")), Accel.AUTO, 0, tmp));
        Probe hvt = d.probe().getFirst();
        assertThat(hvt.available()).isFalse();
        assertThat(hvt.reason()).isEqualTo("solo5-hvt not found on PATH or in configuration (orchide node --binary solo5-hvt=PATH)");
    }

    @Test
    void exitStatuses() {
        assertThat(Solo5Exits.decode(new RawExit(0, 0, Instant.EPOCH)).success()).isTrue();
        assertThat(Solo5Exits.decode(new RawExit(255, 0, Instant.EPOCH)).reason()).contains("abort");
        assertThat(Solo5Exits.decode(new RawExit(3, 0, Instant.EPOCH)).guestCode()).isEqualTo(3);
        assertThat(Solo5Exits.decode(new RawExit(0, 15, Instant.EPOCH)).success()).isFalse();
    }
}
