package io.orchide.runtime.qemu;

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
import io.orchide.runtime.RuntimeConfig;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Test Apps and configurations for the qemu driver. */
final class Apps {
    private Apps() {
    }

    static RuntimeConfig config(Path stateDir, Accel accel) {
        return new RuntimeConfig(null, Map.of(), accel, 0, stateDir);
    }

    static App app(String name, Family family, Arch arch, Accel accel, String image, String initrd, List<String> args,
                   Map<String, String> env, List<Mount> inputs, List<Mount> outputs) {
        return new App(new Metadata(name, null, Map.of()), new AppSpec(image, initrd,
                new RuntimeSpec(family, Monitor.QEMU, arch, accel), args, env, new Resources(1, 32, null), null,
                inputs, outputs));
    }

    static App hello(Arch arch, Path image, List<String> args) {
        return app("hello-" + arch.wire(), Family.MULTIBOOT, arch, Accel.AUTO, image.toString(), null, args, Map.of(),
                List.of(), List.of());
    }
}
