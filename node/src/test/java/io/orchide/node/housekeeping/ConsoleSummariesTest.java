package io.orchide.node.housekeeping;

import io.orchide.model.message.Housekeeping;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ConsoleSummariesTest {
    @TempDir
    Path dir;

    @Test
    void aWorkloadsNewConsoleLinesAreSummarisedErrorsKeptAndAGoneWorkloadIsNoLongerFollowed() throws Exception {
        Path console = Files.writeString(dir.resolve("hello.console"), "written before it was followed\n");
        AtomicReference<Set<String>> workloads = new AtomicReference<>(Set.of("hello"));
        LogSummaries logs = new LogSummaries();
        List<Housekeeping.LogSummary> got = new ArrayList<>();
        try (ConsoleSummaries c = new ConsoleSummaries(workloads::get, w -> dir.resolve(w + ".console"), logs)) {
            c.sync();
            Files.writeString(console, "starting\nERROR: no camera\nrunning\n", StandardOpenOption.APPEND);
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                got.addAll(logs.drain());
                return got.stream().mapToLong(Housekeeping.LogSummary::lines).sum() == 3;
            });
            assertThat(got).hasSize(1);
            assertThat(got.getFirst().subject()).isEqualTo("workload/hello");
            assertThat(got.getFirst().errors()).containsExactly("ERROR: no camera");
            assertThat(got.getFirst().first()).isEqualTo("starting");
            assertThat(got.getFirst().last()).isEqualTo("running");

            workloads.set(Set.of());
            c.sync();
            Files.writeString(console, "after it went\n", StandardOpenOption.APPEND);
            // a later workload's line tells that the followers' threads had their chance at the earlier one
            Files.writeString(dir.resolve("other.console"), "");
            workloads.set(Set.of("other"));
            c.sync();
            Files.writeString(dir.resolve("other.console"), "hi\n", StandardOpenOption.APPEND);
            List<Housekeeping.LogSummary> later = new ArrayList<>();
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                later.addAll(logs.drain());
                return later.stream().anyMatch(l -> l.subject().equals("workload/other"));
            });
            assertThat(later).noneMatch(l -> l.subject().equals("workload/hello"));
        }
    }

    @Test
    void aWorkloadThatAppearsAfterTheStartIsSummarisedFromItsConsolesStart() throws Exception {
        Files.writeString(dir.resolve("old.console"), "summarised before the agent restarted\n");
        AtomicReference<Set<String>> workloads = new AtomicReference<>(Set.of("old"));
        LogSummaries logs = new LogSummaries();
        try (ConsoleSummaries c = new ConsoleSummaries(workloads::get, w -> dir.resolve(w + ".console"), logs)) {
            c.sync();
            // a new workload printed before the next sync noticed it
            Files.writeString(dir.resolve("fast.console"), "starting\nERROR: sensor 3 unreadable\n");
            workloads.set(Set.of("old", "fast"));
            c.sync();
            Files.writeString(dir.resolve("old.console"), "new line\n", StandardOpenOption.APPEND);
            List<Housekeeping.LogSummary> got = new ArrayList<>();
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                got.addAll(logs.drain());
                return got.stream().filter(l -> l.subject().equals("workload/fast")).mapToLong(Housekeeping.LogSummary::lines).sum() == 2
                        && got.stream().anyMatch(l -> l.subject().equals("workload/old"));
            });
            assertThat(got.stream().filter(l -> l.subject().equals("workload/fast")).flatMap(l -> l.errors().stream()))
                    .containsExactly("ERROR: sensor 3 unreadable");
            assertThat(got.stream().filter(l -> l.subject().equals("workload/old")).mapToLong(Housekeeping.LogSummary::lines).sum())
                    .as("the old workload's lines from before the start are not counted again").isEqualTo(1);
        }
    }
}
