package io.orchide.node.pipeline.workspace;

import io.orchide.model.Condition;
import io.orchide.model.Pipeline;
import io.orchide.model.StepOutput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static io.orchide.node.pipeline.workspace.WorkspaceFixture.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StepOutputsTest {
    @TempDir Path tmp;
    private final Pipeline pipeline = WorkspaceFixture.pipeline();

    @Test
    void valuesReadAnOutputsTrimmedTextForConditions() {
        RunWorkspace ws = RunWorkspace.open(tmp, "r1");
        Condition when = pipeline.step("detect").orElseThrow().when();
        OutputValues values = new OutputValues(pipeline, ws, Map.of("cloud", 0));
        assertThat(values.output("cloud", "cover")).isNull();
        assertThat(when.evaluate(values)).isFalse();
        write(ws.prepare("cloud", null).resolve("cover.txt"), "  12\n");
        assertThat(values.output("cloud", "cover")).isEqualTo("12");
        assertThat(when.evaluate(values)).isTrue();
        assertThat(Condition.parse("steps.cloud.outputs.cover < 30 && steps.cloud.exitCode == 0")
                .evaluate(values)).isTrue();
        assertThat(Condition.parse("steps.cloud.exitCode != 0").evaluate(values)).isFalse();
        write(ws.outDir("cloud", null).resolve("cover.txt"), "45");
        assertThat(when.evaluate(values)).isFalse();
        assertThat(Condition.parse("steps.detect.exitCode == 0").evaluate(values)).isFalse();
    }

    @Test
    void valuesCapTheTextAndLeaveDirectoriesAndForEachStepsAbsent() {
        RunWorkspace ws = RunWorkspace.open(tmp, "r1");
        write(ws.prepare("cloud", null).resolve("cover.txt"), "x".repeat(10_000));
        write(ws.outDir("cloud", null).resolve("tiles/a"), "a");
        write(ws.prepare("detect", 0).resolve("boxes.json"), "[]");
        OutputValues values = new OutputValues(pipeline, ws, Map.of());
        assertThat(values.output("cloud", "cover")).hasSize(OutputValues.MAX_BYTES);
        assertThat(values.output("cloud", "tiles")).isNull();
        assertThat(values.output("detect", "boxes")).isNull();
        assertThat(values.output("nope", "cover")).isNull();
        assertThat(values.exitCode("cloud")).isNull();
    }

    @Test
    void collectTellsPresentAndMissingOutputs() {
        RunWorkspace ws = RunWorkspace.open(tmp, "r1");
        write(ws.prepare("cloud", null).resolve("tiles"), "a file where a directory is declared");
        write(ws.outDir("cloud", null).resolve("cover.txt"), "3");
        StepOutputs o = StepOutputs.collect(pipeline, "cloud", null, ws);
        assertThat(o.present()).containsOnlyKeys("cover");
        assertThat(o.missing()).containsExactly("tiles");
        assertThat(o.complete()).isFalse();
        assertThat(o.products()).isEmpty();
        StepOutputs count = StepOutputs.collect(pipeline, "count", null, ws);
        assertThat(count.missing()).containsExactly("count", "thumbnail");
        assertThat(count.products()).isEmpty();
    }

    @Test
    void outputPathsMustStayInsideTheOutDirectory() {
        Path out = tmp.resolve("out");
        assertThat(StepOutputs.path(out, new StepOutput("t", "tiles/", null))).isEqualTo(out.resolve("tiles"));
        for (String bad : new String[] {"../x", "/etc/passwd", "a/../../x", "./"}) {
            assertThatThrownBy(() -> StepOutputs.path(out, new StepOutput("t", bad, null)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(bad);
        }
    }
}
