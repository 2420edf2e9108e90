package io.orchide.node.housekeeping;

import io.orchide.model.message.FullLog;
import io.orchide.model.message.LogRequest;
import io.orchide.node.workload.NoSuchWorkloadException;
import io.orchide.testkit.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FullLogsTest {
    @TempDir
    Path dir;

    @Test
    void theWholeRingGoesToGroundAndAMissingWorkloadIsSaidSo() throws Exception {
        Files.writeString(dir.resolve("hello.console.1"), "oldest\n");
        Files.writeString(dir.resolve("hello.console"), "middle\nnewest\n");
        List<FullLog> sent = new ArrayList<>();
        FullLogs logs = new FullLogs(w -> {
            if (!w.equals("hello")) throw new NoSuchWorkloadException(w);
            return dir.resolve("hello.console");
        }, new MutableClock(Instant.parse("2026-12-07T10:00:00Z")));
        logs.sendTo(b -> {
            try {
                sent.add(FullLog.decode(b));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        logs.answer(new LogRequest("hello", 7));
        logs.answer(new LogRequest("gone", 8));
        assertThat(sent.get(0).log()).isEqualTo("oldest\nmiddle\nnewest");
        assertThat(sent.get(0).request()).isEqualTo(7);
        assertThat(sent.get(1).log()).isEmpty();
        assertThat(sent.get(1).problem()).contains("no workload gone");
    }

    @Test
    void aStepsWholeLogIsFoundByTheNameGroundGivesTheThingsOfARun() throws Exception {
        Path runs = dir.resolve("runs");
        StepLogSummaries.Consoles steps = (run, step, item) ->
                runs.resolve(run).resolve(item == null ? step : step + "." + item).resolve("console.log");
        Path plain = steps.console("cloud-filter-000042", "filter", null), tile = steps.console("cloud-filter-000042", "tile-2", 3);
        Files.createDirectories(plain.getParent());
        Files.writeString(plain, "loading\nERROR: tile 7 unreadable\n");
        Files.createDirectories(tile.getParent());
        Files.writeString(tile, "tile 3 done\n");
        List<FullLog> sent = new ArrayList<>();
        FullLogs logs = new FullLogs(new StepConsoles(w -> { throw new NoSuchWorkloadException(w); }, steps),
                new MutableClock(Instant.parse("2026-12-07T10:00:00Z")));
        logs.sendTo(b -> {
            try {
                sent.add(FullLog.decode(b));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        logs.answer(new LogRequest("cloud-filter-000042-filter", 1));
        logs.answer(new LogRequest("cloud-filter-000042-tile-2-3", 2));
        logs.answer(new LogRequest("cloud-filter-000042-resample", 3));
        assertThat(sent.get(0).log()).isEqualTo("loading\nERROR: tile 7 unreadable");
        assertThat(sent.get(1).log()).isEqualTo("tile 3 done");
        assertThat(sent.get(2).problem()).contains("cloud-filter-000042-resample");
    }
}
