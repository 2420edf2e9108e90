package io.orchide.node.pipeline.run;

import io.orchide.model.Arch;
import io.orchide.model.Manifests;
import io.orchide.node.pipeline.queue.Amount;
import io.orchide.node.storage.Reclaimer;
import io.orchide.node.store.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FinishedRunFilesTest {
    static final Instant T0 = PipelineStoreTest.T0;

    @TempDir
    Path tmp;
    Database db;
    PipelineStore store;
    Path workspaces;
    Path runs;

    @BeforeEach
    void open() throws Exception {
        db = Database.open(tmp.resolve("node.db"));
        store = new PipelineStore(db);
        workspaces = Files.createDirectories(tmp.resolve("pipelines/workspaces"));
        runs = Files.createDirectories(tmp.resolve("pipelines/runs"));
    }

    @AfterEach
    void close() throws Exception {
        db.close();
    }

    private long run(long version, RunState end, Instant endedAt) throws Exception {
        long id = store.createRun(new NewRun("scan", version, 70, T0.plus(Duration.ofHours(2)),
                RunOrigin.manual(null), T0, new Amount(1, 32), true)).runId();
        String name = PipelineRun.name("scan", id);
        Files.createDirectories(workspaces.resolve(name).resolve("steps/only/out"));
        Files.write(workspaces.resolve(name).resolve("steps/only/out/result.bin"), new byte[1_000]);
        Files.createDirectories(runs.resolve(name).resolve("only"));
        Files.write(runs.resolve(name).resolve("only/console.log"), new byte[100]);
        if (end != null) store.runEnded(id, end, null, endedAt, List.of());
        return id;
    }

    @Test
    void theFilesOfRunsThatEndedGoOldestFirstAndARunningOrJustEndedRunKeepsItsFiles() throws Exception {
        long v = store.putPipeline(Manifests.parsePipeline(PipelineStoreTest.YAML, Arch.X86_64), T0);
        long first = run(v, RunState.SUCCEEDED, T0.plusSeconds(60));
        long second = run(v, RunState.FAILED, T0.plusSeconds(120));
        long running = run(v, null, null);
        long justEnded = run(v, RunState.SUCCEEDED, T0.plusSeconds(3_590));
        Clock now = Clock.fixed(T0.plusSeconds(3_600), ZoneOffset.UTC);
        FinishedRunFiles files = new FinishedRunFiles(store, workspaces, runs, now);

        assertThat(files.reclaim(1)).isEqualTo(new Reclaimer.Reclaimed(1, 1_100));
        assertThat(workspaces.resolve(PipelineRun.name("scan", first))).doesNotExist();
        assertThat(runs.resolve(PipelineRun.name("scan", first))).doesNotExist();
        assertThat(workspaces.resolve(PipelineRun.name("scan", second))).exists();

        assertThat(files.reclaim(1_000_000)).isEqualTo(new Reclaimer.Reclaimed(1, 1_100));
        assertThat(workspaces.resolve(PipelineRun.name("scan", running))).exists();
        assertThat(workspaces.resolve(PipelineRun.name("scan", justEnded))).exists();
        assertThat(store.run(first)).isPresent(); // the record stays
    }
}
