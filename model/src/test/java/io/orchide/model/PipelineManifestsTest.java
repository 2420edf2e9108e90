package io.orchide.model;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class PipelineManifestsTest {
    private static final String MINIMAL = """
            apiVersion: orchide.io/v1
            kind: Pipeline
            metadata: {name: once}
            spec:
              steps:
                - {name: run, app: hello}
            """;

    private static Pipeline reference() throws ManifestException {
        Path file = Corpus.files("valid", Pipeline.KIND).filter(f -> f.toString().contains("pipeline-reference"))
                .findFirst().orElseThrow();
        return Manifests.parsePipeline(Corpus.read(file), Arch.X86_64);
    }

    @Test
    void fillsDefaults() throws ManifestException {
        Pipeline p = Manifests.parsePipeline(MINIMAL, Arch.X86_64);
        assertThat(p.name()).isEqualTo("once");
        assertThat(p.metadata().tenant()).isEqualTo("default");
        assertThat(p.spec()).isEqualTo(new PipelineSpec(50, null, true, 1, List.of(), List.of(
                new Step("run", "hello", null, null, null, null, null, null, null, null))));
        assertThat(p.spec().steps().get(0).retries()).isEqualTo(new Retries(0, Duration.ofSeconds(10)));
    }

    @Test
    void writesDefaultsOut() throws ManifestException {
        assertThat(Manifests.toJson(Manifests.parsePipeline(MINIMAL, Arch.X86_64))).isEqualTo(
                "{\"apiVersion\":\"orchide.io/v1\",\"kind\":\"Pipeline\","
                        + "\"metadata\":{\"name\":\"once\",\"tenant\":\"default\"},"
                        + "\"spec\":{\"priority\":50,\"preemptible\":true,\"concurrency\":1,"
                        + "\"steps\":[{\"name\":\"run\",\"app\":\"hello\",\"retries\":{\"limit\":0,\"backoff\":\"10s\"}}]}}");
    }

    @Test
    void mapsEveryFieldOfTheReferenceExample() throws ManifestException {
        Pipeline p = reference();
        PipelineSpec s = p.spec();
        assertThat(p.metadata().tenant()).isEqualTo("eo-team");
        assertThat(s.priority()).isEqualTo(50);
        assertThat(s.deadline()).isEqualTo(Duration.ofHours(2));
        assertThat(s.concurrency()).isEqualTo(4);
        assertThat(s.triggers()).containsExactly(
                new Trigger.OnData("camera", null, "*.pgm"),
                new Trigger.OnData(null, "/data/sensors/cam", "scene-[0-9]*.{pgm,ppm}"),
                new Trigger.Schedule(Cron.parse("*/15 * * * *"), null, null),
                new Trigger.Schedule(null, Duration.ofMinutes(10), null),
                new Trigger.Schedule(null, null, Instant.parse("2026-12-01T10:00:00Z")),
                new Trigger.OnEvent("other", Trigger.OnEvent.Result.FAILED, null),
                new Trigger.OnEvent(null, null, "my-event"),
                new Trigger.Manual());
        Step cloud = s.steps().get(0);
        assertThat(cloud.inputs()).containsExactly(new StepInput("scene", DataRef.TRIGGER));
        assertThat(cloud.outputs()).containsExactly(new StepOutput("cover", "cover.txt", null, "cloud-cover"),
                new StepOutput("tiles", "tiles/", null));
        assertThat(cloud.timeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(cloud.retries()).isEqualTo(new Retries(2, Duration.ofSeconds(10)));
        Step detect = p.step("detect").orElseThrow();
        assertThat(detect.app()).isNull();
        assertThat(detect.template().runtime()).isEqualTo(new RuntimeSpec(Family.UNIKRAFT, Monitor.QEMU, Arch.X86_64, null));
        assertThat(detect.template().inputs()).containsExactly(new Mount("models", "/data/models", "/models", 0));
        assertThat(detect.when().references()).contains(new Condition.Output("cloud", "cover"));
        assertThat(detect.forEach()).isEqualTo(new ForEach(DataRef.output("cloud", "tiles"), 2));
        assertThat(detect.inputs()).containsExactly(new StepInput("tile", DataRef.ITEM),
                new StepInput("scene", DataRef.TRIGGER));
        Step count = p.step("count").orElseThrow();
        assertThat(count.products()).containsExactly(
                new StepOutput("count", "count.json", new Product(80, Duration.ofDays(7))),
                new StepOutput("thumbnail", "out/thumb.png", new Product(50, Duration.ofDays(7))));
        assertThat(p.topologicalOrder()).extracting(Step::name).containsExactly("cloud", "detect", "count");
        assertThat(p.ancestors("count")).containsExactlyInAnyOrder("cloud", "detect");
    }

    @Test
    void theWhenIsWrittenInItsCanonicalText() throws ManifestException {
        Step detect = reference().step("detect").orElseThrow();
        assertThat(detect.when().text()).isEqualTo("steps.cloud.outputs.cover < 30 && (steps.cloud.exitCode == 0 "
                + "|| !(steps.cloud.outputs.cover == \"unknown\"))");
        assertThat(Manifests.toYaml(reference())).contains("when: ");
    }

    @Test
    void aTimeWithAnOffsetIsKeptAsAnInstant() throws ManifestException {
        Pipeline p = Manifests.parsePipeline(MINIMAL.replace("spec:\n", """
                spec:
                  triggers:
                    - schedule: {at: "2026-12-01T12:00:00+02:00"}
                    - manual:
                """), Arch.X86_64);
        assertThat(p.spec().triggers()).containsExactly(
                new Trigger.Schedule(null, null, Instant.parse("2026-12-01T10:00:00Z")), new Trigger.Manual());
        assertThat(Manifests.toJson(p)).contains("{\"schedule\":{\"at\":\"2026-12-01T10:00:00Z\"}},{\"manual\":{}}");
    }

    @Test
    void aCycleIsReportedWithItsSteps() {
        String text = MINIMAL.replace("- {name: run, app: hello}", """
                - {name: cloud, app: cloud-check}
                    - {name: detect, app: detector, after: [cloud, count]}
                    - {name: count, app: counter, after: [detect]}""");
        ManifestException e = catchThrowableOfType(ManifestException.class,
                () -> Manifests.parsePipeline(text, Arch.X86_64));
        assertThat(e.getMessage()).isEqualTo("spec.steps[2].after: cycle detect -> count -> detect (got [\"detect\"])");
    }

    @Test
    void parseAllReturnsAppsAndPipelines() throws ManifestException {
        String app = """
                apiVersion: orchide.io/v1
                kind: App
                metadata: {name: hello}
                spec: {image: hello.elf, runtime: {family: unikraft, monitor: qemu}}
                """;
        List<Manifest> all = Manifests.parseAll(app + "---\n" + MINIMAL, Arch.X86_64);
        assertThat(all).hasSize(2);
        assertThat(all.get(0)).isInstanceOf(App.class);
        assertThat(all.get(1)).isEqualTo(Manifests.parsePipeline(MINIMAL, Arch.X86_64));
    }

    @Test
    void parseAllNamesEveryKindForAnUnknownOne() {
        ManifestException e = catchThrowableOfType(ManifestException.class,
                () -> Manifests.parseAll(MINIMAL.replace("kind: Pipeline", "kind: Workflow"), Arch.X86_64));
        assertThat(e.errors()).extracting(FieldError::toString)
                .containsExactly("kind: unknown kind; expected App, Dataset, DeviceGrant, Model, Pipeline or Secret (got \"Workflow\")");
    }

    @Test
    void parsePipelineRejectsAnAppAndSeveralDocuments() {
        assertThatThrownBy(() -> Manifests.parsePipeline(MINIMAL + "---\n" + MINIMAL, Arch.X86_64))
                .isInstanceOf(ManifestException.class).hasMessageContaining("expected one document, found several");
        assertThatThrownBy(() -> Manifests.pipelineFromJson("{\"apiVersion\":\"orchide.io/v1\",\"kind\":\"Pipeline\"}"))
                .isInstanceOf(IllegalArgumentException.class).hasCauseInstanceOf(ManifestException.class)
                .hasMessageContaining("metadata: is required").hasMessageContaining("spec: is required");
    }

    @Test
    void templatesLeaveAnOmittedArchToTheImageLikeApps() throws ManifestException {
        String text = MINIMAL.replace("{name: run, app: hello}",
                "{name: run, template: {image: k.elf, runtime: {family: unikraft, monitor: qemu}}}");
        assertThat(Manifests.parsePipeline(text, Arch.AARCH64).spec().steps().get(0).template().runtime().arch())
                .isNull();
        Pipeline noArch = Manifests.parsePipeline(text, null);
        assertThat(noArch.spec().steps().get(0).template().runtime().arch()).isNull();
        assertThat(Manifests.pipelineFromJson(Manifests.toJson(noArch))).isEqualTo(noArch);
    }

    @Test
    void resolvesTemplatePathsOnly() throws ManifestException {
        Pipeline p = reference();
        Pipeline resolved = Manifests.resolvePaths(p, Path.of("/work/pipelines"));
        AppSpec t = resolved.step("detect").orElseThrow().template();
        assertThat(t.image()).isEqualTo("/work/build/detect.elf");
        assertThat(t.initrd()).isEqualTo("/work/pipelines/rootfs.cpio");
        assertThat(resolved.step("count")).isEqualTo(p.step("count"));
        assertThat(resolved.step("cloud").orElseThrow().outputs()).isEqualTo(p.step("cloud").orElseThrow().outputs());
        assertThat(resolved.spec().triggers()).isEqualTo(p.spec().triggers());
    }

    @Test
    void dataRefsParseAndPrint() {
        assertThat(DataRef.parse("steps.cloud.outputs.cover")).isEqualTo(DataRef.output("cloud", "cover"));
        assertThat(DataRef.output("cloud", "cover")).hasToString("steps.cloud.outputs.cover");
        assertThat(DataRef.parse("trigger")).isSameAs(DataRef.TRIGGER);
        assertThat(DataRef.parse("item")).isSameAs(DataRef.ITEM);
        assertThat(DataRef.parse("datasets.scenes")).isEqualTo(DataRef.dataset("scenes", "*"))
                .hasToString("datasets.scenes");
        assertThat(DataRef.parse("datasets.scenes/*.pgm")).isEqualTo(DataRef.dataset("scenes", "*.pgm"))
                .hasToString("datasets.scenes/*.pgm");
        for (String bad : new String[] {"", "Trigger", "steps.cloud", "steps.cloud.outputs", "steps..outputs.x",
                "steps.c.outputs.x.y", "steps.C.outputs.x", "outputs.x", "datasets.Scenes", "datasets.scenes/",
                "datasets.scenes/a/*.pgm", "datasets.scenes/.hidden", "datasets.scenes/[a"}) {
            assertThatThrownBy(() -> DataRef.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aStepTakesADatasetAsAnInputButDoesNotFanOutOverOne() throws ManifestException {
        String yaml = """
                apiVersion: orchide.io/v1
                kind: Pipeline
                metadata: {name: mosaic, tenant: ocean-team}
                spec:
                  steps:
                    - name: stitch
                      app: stitcher
                      inputs: [{name: scenes, from: "datasets.scenes/*.pgm"}]
                    - name: each
                      app: stitcher
                      forEach: {items: datasets.scenes}
                """;
        ManifestException e = catchThrowableOfType(ManifestException.class,
                () -> Manifests.parsePipeline(yaml, Arch.X86_64));
        assertThat(e.errors()).extracting(FieldError::path).containsExactly("spec.steps[1].forEach.items");

        Pipeline p = Manifests.parsePipeline(Manifests.toJson(parsedWithoutFanOut(yaml)), Arch.X86_64);
        assertThat(p.step("stitch").orElseThrow().inputs())
                .containsExactly(new StepInput("scenes", DataRef.dataset("scenes", "*.pgm")));
    }

    private static Pipeline parsedWithoutFanOut(String yaml) {
        try {
            return Manifests.parsePipeline(yaml.replace("      forEach: {items: datasets.scenes}\n", ""), Arch.X86_64);
        } catch (ManifestException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void retriesDoubleTheirBackoff() {
        Retries r = new Retries(3, Duration.ofSeconds(10));
        assertThat(r.delay(1)).isEqualTo(Duration.ofSeconds(10));
        assertThat(r.delay(3)).isEqualTo(Duration.ofSeconds(40));
    }

    @Test
    void theExampleNamesItsApps() throws Exception {
        Pipeline p = Manifests.parsePipeline(Corpus.read(Path.of("..", "examples", "pipelines", "ship-count.yaml")),
                Arch.X86_64);
        assertThat(p.topologicalOrder()).extracting(Step::name).containsExactly("cloud", "tile", "detect", "count");
        assertThat(p.step("count").orElseThrow().products()).hasSize(1);
        assertThat(p.step("tile").orElseThrow().when().evaluate(new Condition.Values() {
            @Override public Integer exitCode(String step) {
                return 0;
            }

            @Override public String output(String step, String output) {
                return new BigDecimal("12.5").toPlainString();
            }
        })).isTrue();
    }
}
