package io.orchide.runtime.supervise;

import io.orchide.model.Arch;
import io.orchide.runtime.BundledFile;

import java.nio.file.Path;

/** The {@code orchide-shim} executable shipped inside this jar, built for the host architecture. */
public final class ShimBinary {
    public static final String FILE_NAME = "orchide-shim";

    private ShimBinary() {
    }

    /** Classpath resource of the shim for {@code arch}. */
    public static String resource(Arch arch) {
        return "/io/orchide/runtime/supervise/native/linux-" + arch.wire() + "/" + FILE_NAME;
    }

    /**
     * Extracts the shim for the host architecture to {@code binDir/orchide-shim} unless an identical file is
     * already there (mode 755, atomic rename), and returns its path.
     *
     * @throws IllegalStateException when this jar carries no shim for the host architecture
     */
    public static Path install(Path binDir) {
        Arch arch = Arch.host();
        return BundledFile.install(resource(arch), binDir.resolve(FILE_NAME), true).orElseThrow(() ->
                new IllegalStateException("orchide-shim was not built for " + arch + ": install a C compiler and rebuild"));
    }
}
