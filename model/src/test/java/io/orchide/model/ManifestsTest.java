package io.orchide.model;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ManifestsTest {
    private static final String MINIMAL = """
            apiVersion: orchide.io/v1
            kind: App
            metadata: {name: hello}
            spec:
              image: hello.elf
              runtime: {family: unikraft, monitor: qemu}
            """;

    @Test
    void fillsDefaults() throws ManifestException {
        App app = Manifests.parseApp(MINIMAL, Arch.AARCH64);
        assertThat(app.name()).isEqualTo("hello");
        assertThat(app.metadata().tenant()).isEqualTo("default");
        assertThat(app.metadata().labels()).isEmpty();
        // an arch left out stays open for the node, which reads it from the image
        assertThat(app.spec().runtime()).isEqualTo(new RuntimeSpec(Family.UNIKRAFT, Monitor.QEMU, null, Accel.AUTO));
        assertThat(app.spec().resources()).isEqualTo(new Resources(1, 64, null));
        assertThat(app.spec().restart()).isEqualTo(RestartPolicy.DEFAULT);
        assertThat(app.spec().initrd()).isNull();
        assertThat(app.spec().args()).isEmpty();
        assertThat(app.spec().inputs()).isEmpty();
    }

    @Test
    void mapsEveryFieldOfTheReferenceExample() throws ManifestException {
        App app = Manifests.parseApp(Corpus.read(Corpus.files("valid").findFirst().orElseThrow()), Arch.X86_64);
        AppSpec s = app.spec();
        assertThat(app.metadata().labels()).containsEntry("team", "eo").containsEntry("orchide.io/stage", "test");
        assertThat(s.image()).isEqualTo("../unikernels/hello/build/hello-x86_64.elf");
        assertThat(s.initrd()).isEqualTo("rootfs.cpio");
        assertThat(s.runtime()).isEqualTo(new RuntimeSpec(Family.MULTIBOOT, Monitor.QEMU, Arch.X86_64, Accel.AUTO));
        assertThat(s.args()).containsExactly("message=hi", "seconds=5");
        assertThat(s.env()).isEqualTo(Map.of("K", "V"));
        assertThat(s.resources()).isEqualTo(new Resources(1, 32, Duration.ofMinutes(10)));
        assertThat(s.restart()).isEqualTo(new RestartPolicy(RestartPolicy.Policy.ON_FAILURE, Duration.ofSeconds(1),
                Duration.ofMinutes(5), 5, Duration.ofMinutes(10)));
        assertThat(s.inputs()).containsExactly(new Mount("scenes", "/data/in", "/in", 0));
        assertThat(s.outputs()).containsExactly(new Mount("results", "/data/out", "/out", 16));
    }

    @Test
    void reportsFiveDistinctErrorsAtOnce() {
        String text = """
                apiVersion: orchide.io/v1
                kind: App
                metadata: {name: Bad_Name}
                spec:
                  image: ""
                  runtime: {family: container, monitor: qemu}
                  resources: {vcpus: 0, memoryMiB: 0, timeout: soon}
                  outputs:
                    - {name: out, path: /d, mountPath: out, sizeMiB: -5}
                """;
        ManifestException e = catchThrowableOfType(ManifestException.class, () -> Manifests.parseApp(text, Arch.X86_64));
        assertThat(e.errors()).extracting(FieldError::path).containsExactlyInAnyOrder(
                "metadata.name", "spec.image", "spec.runtime.monitor", "spec.resources.vcpus",
                "spec.resources.memoryMiB", "spec.resources.timeout", "spec.outputs[0].mountPath",
                "spec.outputs[0].sizeMiB");
        assertThat(e.getMessage()).contains("spec.resources.memoryMiB: must be at least 1 (got 0)");
    }

    @Test
    void theFamilyExamplesOfTheReferenceParse() throws Exception {
        String doc = Corpus.read(java.nio.file.Path.of("..", "docs", "manifest-reference.md"));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?s)```yaml\n(.*?)```").matcher(doc);
        List<String> families = new java.util.ArrayList<>();
        while (m.find()) {
            if (!m.group(1).contains("kind: App") || !m.group(1).contains("family: nanos") && !m.group(1).contains("family: osv"))
                continue;
            families.add(Manifests.parseApp(m.group(1), Arch.X86_64).spec().runtime().family().wire());
        }
        assertThat(families).containsExactly("nanos", "osv");
    }

    @Test
    void nanosTakesNoArgsOrEnvAndSaysWhereTheyGo() {
        String nanos = MINIMAL.replace("{family: unikraft, monitor: qemu}", "{family: nanos, monitor: qemu}")
                .replace("image: hello.elf", "image: hello.img\n  args: [\"-v\"]\n  env: {MODE: fast}");
        ManifestException e = catchThrowableOfType(ManifestException.class, () -> Manifests.parseApp(nanos, Arch.X86_64));
        assertThat(e.errors()).extracting(FieldError::path).containsExactly("spec.args", "spec.env");
        assertThat(e.errors().get(0).message()).contains("image's manifest").contains("Args");
        assertThat(e.errors().get(0).value()).contains("-v");
        assertThat(e.errors().get(1).message()).contains("Env").doesNotContain("pass them as args");
    }

    @Test
    void archDefaultsToNothingWithoutANodeArch() throws ManifestException {
        App app = Manifests.parseApp(MINIMAL, null);
        assertThat(app.spec().runtime().arch()).isNull();
        assertThat(Manifests.fromJson(Manifests.toJson(app))).isEqualTo(app);
    }

    @Test
    void nodeArchDecidesWhatIsForeign() throws ManifestException {
        String hvt = MINIMAL.replace("{family: unikraft, monitor: qemu}", "{family: mirage, monitor: solo5-hvt, arch: aarch64}");
        assertThat(Manifests.parseApp(hvt, Arch.AARCH64).spec().runtime().arch()).isEqualTo(Arch.AARCH64);
        ManifestException e = catchThrowableOfType(ManifestException.class, () -> Manifests.parseApp(hvt, Arch.X86_64));
        assertThat(e.errors()).singleElement().satisfies(err -> {
            assertThat(err.path()).isEqualTo("spec.runtime.arch");
            assertThat(err.message()).contains("solo5-hvt").contains("x86_64");
        });
    }

    @Test
    void readsJson() throws ManifestException {
        String json = """
                {"apiVersion": "orchide.io/v1", "kind": "App", "metadata": {"name": "j"},
                 "spec": {"image": "k.elf", "runtime": {"family": "osv", "monitor": "qemu"}, "resources": {"memoryMiB": 128}}}
                """;
        assertThat(Manifests.parseApp(json, Arch.X86_64).spec().resources().memoryMiB()).isEqualTo(128);
    }

    @Test
    void fromJsonRejectsAnInvalidApp() {
        assertThatThrownBy(() -> Manifests.fromJson("{\"apiVersion\":\"orchide.io/v1\",\"kind\":\"App\"}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasCauseInstanceOf(ManifestException.class)
                .hasMessageContaining("metadata: is required");
    }

    @Test
    void parseAllReadsEveryDocument() throws ManifestException {
        String stream = MINIMAL + "---\n" + MINIMAL.replace("name: hello", "name: second") + "---\n";
        List<Manifest> manifests = Manifests.parseAll(stream, Arch.X86_64);
        assertThat(manifests).hasSize(2).allMatch(App.class::isInstance);
        assertThat(manifests.get(1).name()).isEqualTo("second");
        assertThat(manifests.get(1).kind()).isEqualTo("App");
    }

    @Test
    void anyManifestWritesBackToTheSameManifest() throws ManifestException {
        for (Manifest m : Manifests.parseAll(MINIMAL, Arch.X86_64)) {
            assertThat(Manifests.parseAll(Manifests.toJson(m), null)).containsExactly(m);
            assertThat(Manifests.parseAll(Manifests.toYaml(m), null)).containsExactly(m);
        }
    }

    @Test
    void aCopyWithNewImagesChangesNothingElse() throws ManifestException {
        App app = Manifests.parseApp(MINIMAL, Arch.X86_64);
        AppSpec s = app.spec().withImages("/opt/other.elf", "/opt/rootfs.cpio");
        assertThat(s.image()).isEqualTo("/opt/other.elf");
        assertThat(s.initrd()).isEqualTo("/opt/rootfs.cpio");
        assertThat(s.withImages(app.spec().image(), app.spec().initrd())).isEqualTo(app.spec());
        assertThat(app.withSpec(s).metadata()).isEqualTo(app.metadata());
    }

    @Test
    void parseAllReportsErrorsOfEveryDocumentWithItsIndex() {
        String stream = MINIMAL.replace("image: hello.elf", "image: \"\"") + "---\n"
                + MINIMAL + "---\n" + MINIMAL.replace("kind: App", "kind: Satellite");
        ManifestException e = catchThrowableOfType(ManifestException.class, () -> Manifests.parseAll(stream, Arch.X86_64));
        assertThat(e.errors()).extracting(FieldError::path).containsExactly("[0].spec.image", "[2].kind");
    }

    @Test
    void parseAllOfOneDocumentReportsPathsWithoutADocumentIndex() {
        String one = "# a comment before the only manifest\n---\n" + MINIMAL.replace("image: hello.elf", "image: \"\"");
        ManifestException e = catchThrowableOfType(ManifestException.class, () -> Manifests.parseAll(one, Arch.X86_64));
        assertThat(e.errors()).extracting(FieldError::path).containsExactly("spec.image");
    }

    @Test
    void parseAllOfSeveralDocumentsKeepsTheIndexWhenOnlyTheFirstIsWrong() {
        String two = MINIMAL.replace("image: hello.elf", "image: \"\"") + "---\n" + MINIMAL.replace("name: hello", "name: second");
        ManifestException e = catchThrowableOfType(ManifestException.class, () -> Manifests.parseAll(two, Arch.X86_64));
        assertThat(e.errors()).extracting(FieldError::path).containsExactly("[0].spec.image");
    }

    @Test
    void parseAllOfNothingIsEmpty() throws ManifestException {
        assertThat(Manifests.parseAll("# nothing here\n", Arch.X86_64)).isEmpty();
    }

    @Test
    void yamlKeepsStringsThatLookLikeOtherTypes() throws ManifestException {
        App app = Manifests.parseApp(MINIMAL + "  args: [\"32\", \"true\", \"null\", \"1.5\", \"\", \"- x\"]\n"
                + "  env: {A: \"08\", B: \"no\"}\n", Arch.X86_64);
        App back = Manifests.parseApp(Manifests.toYaml(app), Arch.X86_64);
        assertThat(back.spec().args()).containsExactly("32", "true", "null", "1.5", "", "- x");
        assertThat(back.spec().env()).isEqualTo(Map.of("A", "08", "B", "no"));
    }

    @Test
    void writesDefaultsOutAndOmitsWhatIsUnset() throws ManifestException {
        String json = Manifests.toJson(Manifests.parseApp(MINIMAL, Arch.X86_64));
        assertThat(json).isEqualTo("{\"apiVersion\":\"orchide.io/v1\",\"kind\":\"App\","
                + "\"metadata\":{\"name\":\"hello\",\"tenant\":\"default\"},"
                + "\"spec\":{\"image\":\"hello.elf\","
                + "\"runtime\":{\"family\":\"unikraft\",\"monitor\":\"qemu\",\"accel\":\"auto\"},"
                + "\"resources\":{\"vcpus\":1,\"memoryMiB\":64},"
                + "\"restart\":{\"policy\":\"Never\",\"backoff\":{\"initial\":\"1s\",\"max\":\"5m\"},"
                + "\"crashLoop\":{\"limit\":5,\"window\":\"10m\"}}}}");
    }
}
