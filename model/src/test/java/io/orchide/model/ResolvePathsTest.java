package io.orchide.model;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ResolvePathsTest {
    private static App app(String image, String initrd, List<Mount> inputs, List<Mount> outputs) {
        return new App(new Metadata("hello", null, null), new AppSpec(image, initrd,
                new RuntimeSpec(Family.UNIKRAFT, Monitor.QEMU, Arch.X86_64, null), List.of("a"), null, null, null,
                inputs, outputs));
    }

    @Test
    void resolvesRelativePathsAgainstTheBaseDirectory() {
        App app = app("../unikernels/hello/build/hello.elf", "rootfs.cpio",
                List.of(new Mount("in", "data/in", "/in", 0)), List.of(new Mount("out", "./out", "/out", 16)));

        App resolved = Manifests.resolvePaths(app, Path.of("/work/apps/hello"));

        assertThat(resolved.spec().image()).isEqualTo("/work/apps/unikernels/hello/build/hello.elf");
        assertThat(resolved.spec().initrd()).isEqualTo("/work/apps/hello/rootfs.cpio");
        assertThat(resolved.spec().inputs()).containsExactly(new Mount("in", "/work/apps/hello/data/in", "/in", 0));
        assertThat(resolved.spec().outputs()).containsExactly(new Mount("out", "/work/apps/hello/out", "/out", 16));
    }

    @Test
    void keepsAbsolutePathsAndEverythingElse() {
        App app = app("/opt/hello.elf", null, List.of(new Mount("in", "/data/in", "/in", 0)), List.of());

        App resolved = Manifests.resolvePaths(app, Path.of("/elsewhere"));

        assertThat(resolved).isEqualTo(app);
        assertThat(resolved.spec().initrd()).isNull();
    }

    @Test
    void aRelativeBaseDirectoryIsTakenFromTheWorkingDirectory() {
        App resolved = Manifests.resolvePaths(app("hello.elf", null, List.of(), List.of()), Path.of("apps"));
        assertThat(Path.of(resolved.spec().image()))
                .isAbsolute()
                .isEqualTo(Path.of("apps", "hello.elf").toAbsolutePath().normalize());
    }

    @Test
    void doesNotTouchTheFileSystem() {
        App resolved = Manifests.resolvePaths(app("no/such/file.elf", null, List.of(), List.of()),
                Path.of("/no/such/dir"));
        assertThat(resolved.spec().image()).isEqualTo("/no/such/dir/no/such/file.elf");
    }
}
