package io.orchide.node.pipeline.workspace;

import io.orchide.model.Pipeline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import static io.orchide.node.pipeline.workspace.WorkspaceFixture.files;
import static io.orchide.node.pipeline.workspace.WorkspaceFixture.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class RunWorkspaceTest {
    @TempDir Path tmp;
    private final Pipeline pipeline = WorkspaceFixture.pipeline();

    @Test
    void createsTheLayoutAndHardLinksTheTriggerOnTheSameFilesystem() throws IOException {
        Path scene = write(tmp.resolve("scene.pgm"), "pixels");
        RunWorkspace ws = RunWorkspace.open(tmp.resolve("ws"), "r1");
        Path placed = ws.placeTrigger(scene);
        assertThat(ws.dir()).isEqualTo(tmp.resolve("ws/r1"));
        assertThat(placed).isEqualTo(tmp.resolve("ws/r1/trigger/scene.pgm"));
        assertThat(Files.isSameFile(placed, scene)).isTrue();
        assertThat(scene).exists().hasContent("pixels");
        assertThat(ws.triggerFile()).contains(placed);
        assertThat(ws.prepare("detect", 3)).isEqualTo(tmp.resolve("ws/r1/steps/detect/3/out")).isDirectory();
        assertThat(ws.inDir("detect", 3)).isDirectory();
    }

    @Test
    void copiesWhenTheLinkFailsWithoutTouchingTheSource() throws IOException {
        Path scene = write(tmp.resolve("scene.pgm"), "pixels");
        FileStager noLinks = new FileStager((link, existing) -> {
            throw new FileSystemException(link.toString(), existing.toString(), "Invalid cross-device link");
        });
        RunWorkspace ws = RunWorkspace.open(tmp.resolve("ws"), "r1", noLinks);
        Path placed = ws.placeTrigger(scene);
        assertThat(placed).hasContent("pixels");
        assertThat(Files.isSameFile(placed, scene)).isFalse();
        assertThat(scene).exists().hasContent("pixels");
        assertThat(files(ws.triggerDir())).containsExactly("scene.pgm");
        assertThat(noLinks.place(scene, placed)).isEqualTo(FileStager.How.KEPT);
    }

    @Test
    void copiesFromAnotherFilesystem() throws IOException {
        Path shm = Path.of("/dev/shm");
        assumeTrue(Files.isDirectory(shm) && Files.isWritable(shm), "no /dev/shm");
        assumeTrue(!Files.getFileStore(shm).equals(Files.getFileStore(tmp)), "/dev/shm on the same filesystem");
        Path src = Files.createTempFile(shm, "orchide-ws-", ".pgm");
        try {
            Files.writeString(src, "far away");
            FileStager stager = new FileStager();
            assertThat(stager.place(src, tmp.resolve("t/scene.pgm"))).isEqualTo(FileStager.How.COPIED);
            assertThat(tmp.resolve("t/scene.pgm")).hasContent("far away");
            assertThat(src).exists();
        } finally {
            Files.deleteIfExists(src);
        }
    }

    @Test
    void reopeningAHalfMadeWorkspaceCompletesIt() throws IOException {
        Path scene = write(tmp.resolve("scene.pgm"), "pixels");
        Path run = tmp.resolve("ws/r1");
        // what a killed agent left: the trigger half copied, one step dir without its out dir
        write(run.resolve("trigger/" + FileStager.PARTIAL_PREFIX + "scene.pgm"), "pix");
        Files.createDirectories(run.resolve("steps/cloud/in/scene"));
        RunWorkspace ws = RunWorkspace.open(tmp.resolve("ws"), "r1");
        assertThat(files(ws.triggerDir())).isEmpty();
        ws.placeTrigger(scene);
        StepMounts m = StepMounts.of(pipeline, "cloud", null, ws, Set.of());
        assertThat(Path.of(m.outputs().get(0).path())).isDirectory();

        RunWorkspace again = RunWorkspace.open(tmp.resolve("ws"), "r1");
        again.placeTrigger(scene);
        assertThat(files(again.triggerDir())).containsExactly("scene.pgm");
        assertThat(StepMounts.of(pipeline, "cloud", null, again, Set.of())).isEqualTo(m);
        assertThat(files(tmp.resolve("ws"))).containsExactly("r1/trigger/scene.pgm");
    }

    @Test
    void aDifferentTriggerFileIsRefused() {
        RunWorkspace ws = RunWorkspace.open(tmp.resolve("ws"), "r1");
        ws.placeTrigger(write(tmp.resolve("a.pgm"), "a"));
        assertThatThrownBy(() -> ws.placeTrigger(write(tmp.resolve("b.pgm"), "b")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("b.pgm");
    }

    @Test
    void discardRemovesAPreemptedStepsPartialOutputsOnly() {
        RunWorkspace ws = RunWorkspace.open(tmp.resolve("ws"), "r1");
        write(ws.prepare("cloud", null).resolve("cover.txt"), "12");
        write(ws.prepare("detect", 0).resolve("boxes.json"), "[");
        write(ws.prepare("detect", 1).resolve("boxes.json"), "[]");
        ws.discard("detect", 0);
        assertThat(ws.items("detect")).containsExactly(1);
        ws.discard("detect");
        assertThat(ws.dir().resolve("steps/detect")).doesNotExist();
        assertThat(ws.outDir("cloud", null).resolve("cover.txt")).hasContent("12");
        assertThat(ws.prepare("detect", 0)).isEmptyDirectory();
    }

    @Test
    void deleteRemovesTheWorkspaceButNotTheUsersFile() {
        Path scene = write(tmp.resolve("scene.pgm"), "pixels");
        RunWorkspace ws = RunWorkspace.open(tmp.resolve("ws"), "r1");
        ws.placeTrigger(scene);
        ws.prepare("cloud", null);
        ws.delete();
        assertThat(tmp.resolve("ws/r1")).doesNotExist();
        assertThat(scene).hasContent("pixels");
        ws.delete();
    }

    @Test
    void refusesRunIdsThatAreNotPlainNames() {
        for (String bad : new String[] {"", "..", "a/b", ".hidden"}) {
            assertThatThrownBy(() -> RunWorkspace.open(tmp, bad)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
