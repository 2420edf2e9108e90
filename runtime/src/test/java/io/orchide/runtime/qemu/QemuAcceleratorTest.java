package io.orchide.runtime.qemu;

import io.orchide.model.Accel;
import io.orchide.model.Arch;
import io.orchide.model.Family;
import io.orchide.runtime.HostDevice;
import io.orchide.runtime.LaunchException;
import io.orchide.testkit.HelloKernels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A qemu guest asking for an accelerator on a host that gives it no VFIO is refused with the reason, before it runs. */
class QemuAcceleratorTest {
    @TempDir
    Path tmp;

    @Test
    void aGuestAskingForAnAcceleratorWithoutVfioIsRefusedNamingIt() throws Exception {
        QemuDriver d = new QemuDriver(Apps.config(tmp.resolve("state"), Accel.TCG), null);
        var app = Apps.app("detector", Family.MULTIBOOT, Arch.X86_64, Accel.AUTO, HelloKernels.x86_64().toString(),
                null, List.of(), Map.of(), List.of(), List.of());
        Path dir = tmp.resolve("run");
        HostDevice gpu = new HostDevice("gpu-0", "gpu", List.of(), "0000:65:00.0");

        assertThatThrownBy(() -> d.prepare(app, dir, List.of(gpu))).isInstanceOfSatisfying(LaunchException.class, e -> {
            assertThat(e.field()).isEqualTo("spec.resources.accelerators");
            assertThat(e.value()).isEqualTo("gpu-0");
            assertThat(e.getMessage()).contains("0000:65:00.0").contains("not on this host");
        });
        assertThat(dir).as("nothing prepared").doesNotExist();
    }

    @Test
    void withoutAcceleratorsTheCommandHasNoPassthrough() throws Exception {
        QemuDriver d = new QemuDriver(Apps.config(tmp.resolve("state"), Accel.TCG), null);
        var app = Apps.app("hello", Family.MULTIBOOT, Arch.X86_64, Accel.AUTO, HelloKernels.x86_64().toString(),
                null, List.of(), Map.of(), List.of(), List.of());

        assertThat(d.prepare(app, tmp.resolve("run"), List.of()).command()).isNotEmpty()
                .noneMatch(a -> a.startsWith("vfio-pci"));
    }
}
