package io.orchide.node.pipeline.workspace;

import io.orchide.model.Arch;
import io.orchide.model.Manifests;
import io.orchide.model.Mount;
import io.orchide.model.Pipeline;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static io.orchide.node.pipeline.workspace.WorkspaceFixture.files;
import static io.orchide.node.pipeline.workspace.WorkspaceFixture.host;
import static io.orchide.node.pipeline.workspace.WorkspaceFixture.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

class StepMountsTest {
    @TempDir Path tmp;
    private final Pipeline pipeline = WorkspaceFixture.pipeline();
    private RunWorkspace ws;
    private Path scene;

    @BeforeEach
    void setUp() {
        scene = write(tmp.resolve("sensors/scene-1.pgm"), "P2 pixels");
        ws = RunWorkspace.open(tmp.resolve("ws"), "run-1");
        ws.placeTrigger(scene);
    }

    @Test
    void mountsOfAThreeStepDagPointAtTheRightHostDirectories() throws Exception {
        StepMounts cloud = StepMounts.of(pipeline, "cloud", null, ws, Set.of());
        assertThat(cloud.inputs()).containsExactly(
                new Mount("scene", ws.triggerDir().toString(), "/in/scene", 0));
        assertThat(files(host(cloud.inputs().get(0)))).containsExactly("scene-1.pgm");
        assertThat(cloud.outputs()).containsExactly(
                new Mount("out", ws.outDir("cloud", null).toString(), "/out", 0));
        Path cloudOut = host(cloud.outputs().get(0));
        write(cloudOut.resolve("cover.txt"), "12\n");
        write(cloudOut.resolve("tiles/t-a.pgm"), "a");
        write(cloudOut.resolve("tiles/t-b.pgm"), "b");
        assertThat(StepOutputs.collect(pipeline, "cloud", null, ws).complete()).isTrue();

        Set<String> done = Set.of("cloud");
        assertThat(ForEachItems.of(pipeline, "detect", ws, done)).extracting(p -> p.getFileName().toString())
                .containsExactly("t-a.pgm", "t-b.pgm");
        for (int item = 0; item < 2; item++) {
            StepMounts detect = StepMounts.of(pipeline, "detect", item, ws, done);
            assertThat(detect.inputs()).extracting(Mount::name, Mount::mountPath)
                    .containsExactly(tuple("tile", "/in/tile"),
                            tuple("scene", "/in/scene"));
            Path tile = host(detect.inputs().get(0));
            assertThat(tile).isEqualTo(ws.inDir("detect", item, "tile"));
            assertThat(files(tile)).containsExactly(item == 0 ? "t-a.pgm" : "t-b.pgm");
            assertThat(Files.isSameFile(tile.resolve(item == 0 ? "t-a.pgm" : "t-b.pgm"),
                    cloudOut.resolve(item == 0 ? "tiles/t-a.pgm" : "tiles/t-b.pgm"))).isTrue();
            assertThat(host(detect.inputs().get(1))).isEqualTo(ws.triggerDir());
            assertThat(detect.outputs().get(0).path()).isEqualTo(ws.outDir("detect", item).toString());
            write(host(detect.outputs().get(0)).resolve("boxes.json"), "[" + item + "]");
        }

        StepMounts count = StepMounts.of(pipeline, "count", null, ws, Set.of("cloud", "detect"));
        Path boxes = host(count.inputs().get(0));
        assertThat(boxes).isEqualTo(ws.inDir("count", null, "boxes"));
        assertThat(files(boxes)).containsExactly("0/boxes.json", "1/boxes.json");
        assertThat(Files.readString(boxes.resolve("1/boxes.json"))).isEqualTo("[1]");
        write(host(count.outputs().get(0)).resolve("count.json"), "2");
        write(host(count.outputs().get(0)).resolve("out/thumb.png"), "png");

        StepOutputs outputs = StepOutputs.collect(pipeline, "count", null, ws);
        assertThat(outputs.missing()).isEmpty();
        assertThat(outputs.products()).containsExactly(
                new ProductFile("count", null, "count", ws.outDir("count", null).resolve("count.json"), 80,
                        Duration.ofDays(7)),
                new ProductFile("count", null, "thumbnail", ws.outDir("count", null).resolve("out/thumb.png"),
                        50, Duration.ofDays(7)));
    }

    @Test
    void aDirectoryOutputIsMountedInPlaceAndAFileOutputIsStagedAlone() throws Exception {
        write(ws.outDir("cloud", null).resolve("cover.txt"), "7");
        write(ws.outDir("cloud", null).resolve("other.txt"), "not for the consumer");
        write(ws.outDir("cloud", null).resolve("tiles/t.pgm"), "t");
        Pipeline p = Manifests.parsePipeline("""
                apiVersion: orchide.io/v1
                kind: Pipeline
                metadata: {name: two}
                spec:
                  steps:
                    - name: cloud
                      app: cloud-check
                      outputs: [{name: cover, path: cover.txt}, {name: tiles, path: tiles/}]
                    - name: use
                      app: user
                      after: [cloud]
                      inputs: [{name: c, from: steps.cloud.outputs.cover}, {name: t, from: steps.cloud.outputs.tiles}]
                """, Arch.X86_64);
        StepMounts use = StepMounts.of(p, "use", null, ws, Set.of("cloud"));
        assertThat(files(host(use.inputs().get(0)))).containsExactly("cover.txt");
        assertThat(host(use.inputs().get(0))).isEqualTo(ws.inDir("use", null, "c"));
        assertThat(host(use.inputs().get(1))).isEqualTo(ws.outDir("cloud", null).resolve("tiles"));
    }

    @Test
    void aForEachStepGetsOneDirectoryPerItem() {
        write(ws.outDir("cloud", null).resolve("tiles/a"), "a");
        write(ws.outDir("cloud", null).resolve("tiles/b"), "b");
        write(ws.outDir("cloud", null).resolve("tiles/c"), "c");
        List<Path> outs = List.of(0, 1, 2).stream()
                .map(i -> host(StepMounts.of(pipeline, "detect", i, ws, Set.of("cloud")).outputs().get(0))).toList();
        assertThat(outs).doesNotHaveDuplicates().allSatisfy(p -> assertThat(p).isDirectory());
        assertThat(outs.get(2)).isEqualTo(ws.dir().resolve("steps/detect/2/out"));
        assertThat(ws.dir().resolve("steps/detect/1/in/tile/b")).hasContent("b");
        assertThat(ws.items("detect")).containsExactly(0, 1, 2);
        assertThatThrownBy(() -> StepMounts.of(pipeline, "detect", 3, ws, Set.of("cloud")))
                .isInstanceOf(UnresolvedInputException.class).hasMessageContaining("item 3 of 3");
        assertThatThrownBy(() -> StepMounts.of(pipeline, "detect", null, ws, Set.of("cloud")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StepMounts.of(pipeline, "cloud", 0, ws, Set.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aMissingProducerOutputIsRejectedNamingTheField() {
        ws.prepare("detect", 0);
        write(ws.outDir("detect", 0).resolve("boxes.json"), "[]");
        ws.prepare("detect", 1);
        UnresolvedInputException e = catchThrowableOfType(UnresolvedInputException.class,
                () -> StepMounts.of(pipeline, "count", null, ws, Set.of("cloud", "detect")));
        assertThat(e.field()).isEqualTo("spec.steps[2].inputs[0].from");
        assertThat(e.reference().toString()).isEqualTo("steps.detect.outputs.boxes");
        assertThat(e).hasMessageContaining("spec.steps[2].inputs[0].from").hasMessageContaining("missing");
    }

    @Test
    void anInputFromAStepThatHasNotSucceededIsRejected() {
        UnresolvedInputException e = catchThrowableOfType(UnresolvedInputException.class,
                () -> StepMounts.of(pipeline, "count", null, ws, Set.of("cloud")));
        assertThat(e.field()).isEqualTo("spec.steps[2].inputs[0].from");
        assertThat(e).hasMessageContaining("step detect has not succeeded");
        UnresolvedInputException items = catchThrowableOfType(UnresolvedInputException.class,
                () -> StepMounts.of(pipeline, "detect", 0, ws, Set.of("cloud")));
        assertThat(items.field()).isEqualTo("spec.steps[1].forEach.items");
    }

    @Test
    void aTriggerInputWithoutATriggerFileIsRejected() {
        RunWorkspace manual = RunWorkspace.open(tmp.resolve("ws"), "manual-1");
        assertThatThrownBy(() -> StepMounts.of(pipeline, "cloud", null, manual, Set.of()))
                .isInstanceOf(UnresolvedInputException.class)
                .hasMessage("spec.steps[0].inputs[0].from: trigger: run has no trigger file");
    }

    @Test
    void aDatasetInputHoldsTheDatasetsMatchingFilesAsTheStepStartsAndAnUnreadableOneIsUnresolved() throws Exception {
        Pipeline mosaic = Manifests.parsePipeline("""
                apiVersion: orchide.io/v1
                kind: Pipeline
                metadata: {name: mosaic, tenant: ocean-team}
                spec:
                  steps:
                    - name: stitch
                      app: stitcher
                      inputs: [{name: scenes, from: "datasets.scenes/*.pgm"}]
                """, Arch.X86_64);
        Path scenes = tmp.resolve("datasets/scenes");
        write(scenes.resolve("a.pgm"), "a");
        write(scenes.resolve("b.pgm"), "b");
        write(scenes.resolve("notes.txt"), "not a scene");
        write(scenes.resolve(".c.pgm.part"), "still being written");
        DatasetSource source = (tenant, pipeline, name) -> {
            assertThat(List.of(tenant, pipeline, name)).containsExactly("ocean-team", "mosaic", "scenes");
            return scenes;
        };

        StepMounts m = StepMounts.of(mosaic, "stitch", null, ws, Set.of(), source);

        Path in = host(m.inputs().get(0));
        assertThat(m.inputs().get(0).mountPath()).isEqualTo("/in/scenes");
        assertThat(files(in)).containsExactly("a.pgm", "b.pgm");
        assertThat(Files.isSameFile(in.resolve("a.pgm"), scenes.resolve("a.pgm"))).isTrue();
        Files.delete(scenes.resolve("b.pgm")); // the dataset changes on: the staged snapshot does not
        assertThat(Files.readString(in.resolve("b.pgm"))).isEqualTo("b");

        UnresolvedInputException e = catchThrowableOfType(UnresolvedInputException.class,
                () -> StepMounts.of(mosaic, "stitch", null, ws, Set.of(), (t, p, n) -> {
                    throw new IllegalArgumentException("dataset scenes is not one that pipeline mosaic of tenant "
                            + "ocean-team may read");
                }));
        assertThat(e).hasMessage("spec.steps[0].inputs[0].from: datasets.scenes/*.pgm: dataset scenes is not one that "
                + "pipeline mosaic of tenant ocean-team may read");
    }
}
