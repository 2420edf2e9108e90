package io.orchide.runtime.image;

import io.orchide.testkit.OciLayoutBuilder;
import io.orchide.model.Accel;
import io.orchide.model.App;
import io.orchide.model.AppSpec;
import io.orchide.model.Arch;
import io.orchide.model.Family;
import io.orchide.model.Metadata;
import io.orchide.model.Monitor;
import io.orchide.model.RuntimeSpec;
import io.orchide.runtime.LaunchException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImageResolverTest {
    @TempDir
    Path tmp;

    private static App app(String image, RuntimeSpec runtime, List<String> args) {
        return new App(new Metadata("hello", null, null),
                new AppSpec(image, null, runtime, args, null, null, null, null, null));
    }

    private Path unikernelLayout(boolean asLabels) throws Exception {
        Path layout = Files.createDirectories(tmp.resolve("layout"));
        OciLayoutBuilder b = new OciLayoutBuilder(layout).architecture("arm64");
        b.gzipLayer().dir("unikernel").file("unikernel/kernel", "KERNEL").file("unikernel/initrd", "CPIO").done();
        if (asLabels) {
            b.config("Labels", java.util.Map.of(UruncImage.TYPE, "unikraft", UruncImage.HYPERVISOR, "qemu",
                    UruncImage.BINARY, "/unikernel/kernel", UruncImage.CMDLINE, "hello world"));
        } else {
            b.annotation(UruncImage.TYPE, "unikraft").annotation(UruncImage.HYPERVISOR, "qemu")
                    .annotation(UruncImage.BINARY, "/unikernel/kernel").annotation(UruncImage.INITRD, "/unikernel/initrd")
                    .annotation(UruncImage.CMDLINE, "hello world");
        }
        b.build();
        return layout;
    }

    @Test
    void annotatedLayoutBecomesUnikernelApp() throws Exception {
        Path layout = unikernelLayout(false);
        App resolved = new ImageResolver().resolve(app(layout.toString(), null, List.of()), tmp.resolve("work"));

        assertThat(resolved.spec().runtime()).isEqualTo(new RuntimeSpec(Family.UNIKRAFT, Monitor.QEMU, Arch.AARCH64, Accel.AUTO));
        assertThat(Path.of(resolved.spec().image())).endsWith(Path.of("rootfs/unikernel/kernel")).hasContent("KERNEL");
        assertThat(Path.of(resolved.spec().initrd())).endsWith(Path.of("rootfs/unikernel/initrd"));
        assertThat(resolved.spec().args()).containsExactly("hello", "world");
        assertThat(resolved.spec().image()).startsWith(tmp.resolve("work/images").toRealPath().toString());

        // cached: resolving again reuses the unpacked rootfs
        App again = new ImageResolver().resolve(app(layout.toString(), null, List.of("mine")), tmp.resolve("work"));
        assertThat(again.spec().image()).isEqualTo(resolved.spec().image());
        assertThat(again.spec().args()).containsExactly("mine");
    }

    @Test
    void manifestRuntimeWinsOverAnnotations() throws Exception {
        Path layout = unikernelLayout(true);
        RuntimeSpec given = new RuntimeSpec(Family.UNIKRAFT, Monitor.QEMU, Arch.X86_64, Accel.TCG);
        App resolved = new ImageResolver().resolve(app(layout.toString(), given, List.of()), tmp.resolve("work"));
        assertThat(resolved.spec().runtime()).isEqualTo(given);
        assertThat(resolved.spec().args()).containsExactly("hello", "world");
        assertThat(resolved.spec().initrd()).isNull();
    }

    @Test
    void uruncJsonWithBase64Values() throws Exception {
        Path layout = Files.createDirectories(tmp.resolve("layout"));
        Base64.Encoder b64 = Base64.getEncoder();
        String json = "{\"" + UruncImage.TYPE + "\":\"" + b64.encodeToString("mirage".getBytes(StandardCharsets.UTF_8))
                + "\",\"" + UruncImage.HYPERVISOR + "\":\"" + b64.encodeToString("hvt".getBytes(StandardCharsets.UTF_8))
                + "\",\"" + UruncImage.BINARY + "\":\"b64:" + b64.encodeToString("/k.hvt".getBytes(StandardCharsets.UTF_8))
                + "\"}";
        new OciLayoutBuilder(layout).layer().file("k.hvt", "ELF").file("urunc.json", json).done().build();
        App resolved = new ImageResolver().resolve(app(layout.toString(), null, List.of()), tmp.resolve("work"));
        assertThat(resolved.spec().runtime().family()).isEqualTo(Family.MIRAGE);
        assertThat(resolved.spec().runtime().monitor()).isEqualTo(Monitor.SOLO5_HVT);
        assertThat(resolved.spec().runtime().arch()).isEqualTo(Arch.X86_64);
        assertThat(Path.of(resolved.spec().image())).hasContent("ELF");
    }

    @Test
    void containerLayoutWithoutAnnotationsIsUnchanged() throws Exception {
        Path layout = Files.createDirectories(tmp.resolve("layout"));
        new OciLayoutBuilder(layout).layer().file("bin/x", "x").done().build();
        App app = app(layout.toString(), new RuntimeSpec(Family.CONTAINER, Monitor.RUNC, Arch.X86_64, null), List.of());
        assertThat(new ImageResolver().resolve(app, tmp.resolve("work"))).isSameAs(app);
        assertThat(tmp.resolve("work")).doesNotExist();
    }

    @Test
    void runtimeRequiredWithoutAnnotations() throws Exception {
        Path kernel = Files.writeString(tmp.resolve("kernel"), "K");
        assertThatThrownBy(() -> new ImageResolver().resolve(app(kernel.toString(), null, List.of()), tmp))
                .isInstanceOfSatisfying(LaunchException.class, e -> assertThat(e.field()).isEqualTo("spec.runtime"))
                .hasMessageContaining("com.urunc.unikernel");
        App plain = app(kernel.toString(), new RuntimeSpec(Family.UNIKRAFT, Monitor.QEMU, Arch.X86_64, null), List.of());
        assertThat(new ImageResolver().resolve(plain, tmp)).isSameAs(plain);
    }

    @Test
    void binaryOutsideRootfsIsRejected() throws Exception {
        Path layout = Files.createDirectories(tmp.resolve("layout"));
        new OciLayoutBuilder(layout).annotation(UruncImage.TYPE, "unikraft").annotation(UruncImage.HYPERVISOR, "qemu")
                .annotation(UruncImage.BINARY, "/../../../etc/passwd").layer().file("k", "K").done().build();
        assertThatThrownBy(() -> new ImageResolver().resolve(app(layout.toString(), null, List.of()), tmp.resolve("w")))
                .isInstanceOf(LaunchException.class).hasMessageContaining("/../../../etc/passwd");
    }

    @Test
    void unknownHypervisorIsRejected() throws Exception {
        Path layout = Files.createDirectories(tmp.resolve("layout"));
        new OciLayoutBuilder(layout).annotation(UruncImage.TYPE, "unikraft").annotation(UruncImage.HYPERVISOR, "xen")
                .annotation(UruncImage.BINARY, "/k").layer().file("k", "K").done().build();
        assertThatThrownBy(() -> new ImageResolver().resolve(app(layout.toString(), null, List.of()), tmp.resolve("w")))
                .isInstanceOfSatisfying(LaunchException.class, e -> assertThat(e.value()).isEqualTo("xen"));
    }
}
