package io.orchide.testkit;

import java.io.IOException;
import java.nio.file.Path;

/** The hello unikernels of examples/unikernels/hello (freestanding multiboot kernels, x86_64 and aarch64). */
public final class HelloKernels {
    private HelloKernels() {
    }

    public static Path buildDir() throws IOException, InterruptedException {
        return Examples.make("examples/unikernels/hello").resolve("build");
    }

    /** The kernel for {@code arch} as the manifests spell it: {@code x86_64} or {@code aarch64}. */
    public static Path forArch(String arch) throws IOException, InterruptedException {
        return buildDir().resolve("hello-" + arch + ".elf");
    }

    public static Path x86_64() throws IOException, InterruptedException {
        return forArch("x86_64");
    }

    public static Path aarch64() throws IOException, InterruptedException {
        return forArch("aarch64");
    }
}
