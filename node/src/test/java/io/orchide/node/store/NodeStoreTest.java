package io.orchide.node.store;

import io.orchide.model.Arch;
import io.orchide.model.App;
import io.orchide.model.Manifests;
import io.orchide.node.store.RunRecord.RunState;
import io.orchide.node.store.WorkloadRecord.Desired;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class NodeStoreTest {
    @TempDir
    Path tmp;

    private static App app(String name) throws Exception {
        return Manifests.parseApp("""
                apiVersion: orchide.io/v1
                kind: App
                metadata: {name: %s}
                spec:
                  image: /k.elf
                  runtime: {family: multiboot, monitor: qemu, arch: x86_64}
                  args: ["a=1"]
                  resources: {vcpus: 1, memoryMiB: 32, timeout: 5m}
                  restart: {policy: OnFailure}
                """.formatted(name), Arch.X86_64);
    }

    @Test
    void workloadsRunsAndEventsSurviveReopening() throws Exception {
        Path file = tmp.resolve("node.db");
        Instant t0 = Instant.parse("2026-11-26T10:00:00Z");
        long runId;
        try (Database db = Database.open(file)) {
            NodeStore s = new NodeStore(db);
            s.putWorkload(new WorkloadRecord("w1", app("w1"), Desired.RUNNING, 1, t0, t0));
            RunRecord r = s.insertRun("w1", 1, 1, tmp.resolve("runs/1"), t0);
            runId = r.id();
            s.runStarted(runId, 100, 101, t0.plusSeconds(1));
            s.addEvent("w1", t0, "Running", "monitor pid 101");
        }
        try (Database db = Database.open(file)) {
            NodeStore s = new NodeStore(db);
            WorkloadRecord w = s.workload("w1").orElseThrow();
            assertThat(w.app()).isEqualTo(app("w1"));
            assertThat(w.desired()).isEqualTo(Desired.RUNNING);
            RunRecord r = s.latestRun("w1").orElseThrow();
            assertThat(r.id()).isEqualTo(runId);
            assertThat(r.state()).isEqualTo(RunState.RUNNING);
            assertThat(r.monitorPid()).isEqualTo(101L);
            assertThat(r.active()).isTrue();
            s.runEnded(runId, RunState.ENDED, t0.plusSeconds(5), 15, 0, 7, false, "guest exited 7");
            assertThat(s.failuresSince("w1", t0)).isEqualTo(1);
            assertThat(s.failuresSince("w1", t0.plusSeconds(6))).isZero();
            assertThat(s.events("w1", 10)).extracting(EventRecord::message).containsExactly("monitor pid 101");
        }
    }

    @Test
    void pruningKeepsTheNewestRunsAndDeleteForgetsEverything() throws Exception {
        try (Database db = Database.open(tmp.resolve("n.db"))) {
            NodeStore s = new NodeStore(db);
            Instant t = Instant.parse("2026-11-26T10:00:00Z");
            s.putWorkload(new WorkloadRecord("w", app("w"), Desired.RUNNING, 1, t, t));
            for (int i = 1; i <= 5; i++) {
                RunRecord r = s.insertRun("w", 1, i, tmp.resolve("runs/" + i), t);
                s.runEnded(r.id(), RunState.ENDED, t, 0, 0, 0, true, "ok");
            }
            assertThat(s.pruneRuns("w", 2)).containsExactly(tmp.resolve("runs/3"), tmp.resolve("runs/2"),
                    tmp.resolve("runs/1"));
            assertThat(s.runs("w", 10)).extracting(RunRecord::attempt).containsExactly(5, 4);
            s.deleteWorkload("w");
            assertThat(s.workload("w")).isEmpty();
            assertThat(s.runs("w", 10)).isEmpty();
        }
    }
}
