package io.orchide.client;

import io.orchide.model.App;
import io.orchide.model.ManifestException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ManifestFilesTest {
    @Test
    void pathsAreResolvedAgainstTheFilesDirectoryAndTheArchIsLeftToTheNode() throws Exception {
        App app = (App) ManifestFiles.read("""
                apiVersion: orchide.io/v1
                kind: App
                metadata: {name: hello}
                spec: {image: build/hello.elf, runtime: {family: unikraft, monitor: qemu}}
                """, Path.of("/home/dev/app")).getFirst();
        assertThat(app.spec().image()).isEqualTo("/home/dev/app/build/hello.elf");
        assertThat(app.spec().runtime().arch()).isNull();
    }

    @Test
    void anArchTheUserWroteIsKept() throws Exception {
        App app = (App) ManifestFiles.read("""
                apiVersion: orchide.io/v1
                kind: App
                metadata: {name: hello}
                spec: {image: hello.elf, runtime: {family: unikraft, monitor: qemu, arch: aarch64}}
                """, Path.of("/tmp")).getFirst();
        assertThat(app.spec().runtime().arch().wire()).isEqualTo("aarch64");
    }

    @Test
    void everyErrorOfEveryDocumentIsReported() {
        assertThatThrownBy(() -> ManifestFiles.read("""
                apiVersion: orchide.io/v1
                kind: App
                metadata: {name: Bad_Name}
                spec: {image: a.elf, runtime: {family: unikraft, monitor: qemu}}
                ---
                apiVersion: orchide.io/v1
                kind: App
                metadata: {name: ok}
                spec: {runtime: {family: unikraft, monitor: qemu}}
                """, Path.of("/tmp")))
                .isInstanceOfSatisfying(ManifestException.class, e -> assertThat(e.errors())
                        .extracting(f -> f.path()).contains("[0].metadata.name", "[1].spec.image"));
    }
}
