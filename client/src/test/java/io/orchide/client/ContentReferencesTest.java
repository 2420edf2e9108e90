package io.orchide.client;

import io.orchide.model.App;
import io.orchide.model.Manifest;
import io.orchide.model.Pipeline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ContentReferencesTest {
    private static final String DIGEST = "sha256:" + "c".repeat(64);

    @TempDir
    Path dir;

    /** Records what was pushed and answers with a digest made from the file name. */
    private final List<String> pushed = new ArrayList<>();
    private final ContentReferences refs = new ContentReferences(new ImagePusher() {
        @Override
        public String pushFile(Path file) {
            pushed.add("file " + file.getFileName());
            return "sha256:" + Integer.toHexString(file.getFileName().toString().hashCode()).repeat(8).substring(0, 64);
        }

        @Override
        public String pushTree(Path tree) {
            pushed.add("tree " + tree.getFileName());
            return DIGEST;
        }
    });

    private Manifest read(String yaml) throws Exception {
        return ManifestFiles.read(yaml, dir).getFirst();
    }

    @Test
    void aKernelAndInitrdThatAreFilesHereArePushedAndNamedByContent() throws Exception {
        Files.writeString(dir.resolve("hello.elf"), "kernel");
        Files.writeString(dir.resolve("rootfs.cpio"), "initrd");
        App app = (App) refs.byContent(read("""
                apiVersion: orchide.io/v1
                kind: App
                metadata: {name: hello}
                spec: {image: hello.elf, initrd: rootfs.cpio, runtime: {family: unikraft, monitor: qemu}}
                """));
        assertThat(pushed).containsExactly("file hello.elf", "file rootfs.cpio");
        assertThat(app.spec().image()).startsWith("sha256:");
        assertThat(app.spec().initrd()).startsWith("sha256:").isNotEqualTo(app.spec().image());
        assertThat(app.spec().runtime().arch()).as("the node decides the arch").isNull();
    }

    @Test
    void aContainersRootFilesystemDirectoryIsPushedAsATree() throws Exception {
        Files.createDirectories(dir.resolve("rootfs/bin"));
        App app = (App) refs.byContent(read("""
                apiVersion: orchide.io/v1
                kind: App
                metadata: {name: box}
                spec: {image: rootfs, runtime: {family: container, monitor: runc}, args: [/bin/true]}
                """));
        assertThat(pushed).containsExactly("tree rootfs");
        assertThat(app.spec().image()).isEqualTo(DIGEST);
    }

    @Test
    void aManifestNamingNothingLocalIsReturnedAsItIs() throws Exception {
        Manifest m = read("""
                apiVersion: orchide.io/v1
                kind: App
                metadata: {name: hello}
                spec: {image: "%s", runtime: {family: unikraft, monitor: qemu}}
                """.formatted(DIGEST));
        assertThat(refs.byContent(m)).isSameAs(m);
        Manifest elsewhere = read("""
                apiVersion: orchide.io/v1
                kind: App
                metadata: {name: hello}
                spec: {image: /opt/on-the-node/hello.elf, runtime: {family: unikraft, monitor: qemu}}
                """);
        assertThat(refs.byContent(elsewhere)).isSameAs(elsewhere);
        assertThat(pushed).isEmpty();
    }

    @Test
    void aPipelinesStepTemplatesArePushedAndItsOtherStepsKept() throws Exception {
        Files.writeString(dir.resolve("filter.elf"), "kernel");
        Pipeline p = (Pipeline) refs.byContent(read("""
                apiVersion: orchide.io/v1
                kind: Pipeline
                metadata: {name: scan}
                spec:
                  steps:
                    - name: filter
                      template: {image: filter.elf, runtime: {family: unikraft, monitor: qemu}}
                    - name: after
                      app: some-app
                      after: [filter]
                """));
        assertThat(pushed).containsExactly("file filter.elf");
        assertThat(p.spec().steps().get(0).template().image()).startsWith("sha256:");
        assertThat(p.spec().steps().get(1).app()).isEqualTo("some-app");
    }
}
