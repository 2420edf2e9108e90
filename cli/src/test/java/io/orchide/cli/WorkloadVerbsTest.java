package io.orchide.cli;

import io.orchide.node.api.NodeApiSamples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static io.orchide.cli.PipelineVerbsTest.rows;
import static org.assertj.core.api.Assertions.assertThat;

/** get/describe workload: what is printed for the node's own views. */
class WorkloadVerbsTest {
    @RegisterExtension
    final FakeServer node = FakeServer.node();

    @Test
    void describeShowsTheEnvItApplied() {
        node.on("GET /api/v1/workloads/hello", 200, NodeApiSamples.workloadDetail("hello"));

        FakeServer.Result r = node.run("describe", "workload", "hello");

        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("  env:       GREETING=hi\n");
    }

    @Test
    void aRunStoppedByTheUserReadsStoppedLikeTheOtherResults() {
        node.on("GET /api/v1/workloads/hello", 200, NodeApiSamples.workloadDetail("hello"));

        FakeServer.Result r = node.run("describe", "workload", "hello");

        List<String> runs = r.out().lines().dropWhile(l -> !l.startsWith("Runs"))
                .takeWhile(l -> !l.startsWith("History")).toList();
        assertThat(runs.get(1)).contains("RESULT");
        assertThat(runs.get(2)).contains(" stopped ").doesNotContain("STOPPED");
        assertThat(runs.get(3)).contains(" failed ");
    }

    @Test
    void getAndDescribeOfOneWorkloadShowTheSameState() {
        node.on("GET /api/v1/workloads", 200, NodeApiSamples.workloads("hello"));
        node.on("GET /api/v1/workloads/hello", 200, NodeApiSamples.workloadDetail("hello"));

        FakeServer.Result get = node.run("get", "workloads");
        FakeServer.Result describe = node.run("describe", "workload", "hello");

        assertThat(rows(get.out()).get(1)).containsSubsequence("hello", "unikraft", "qemu", "Stopped");
        assertThat(describe.out()).contains("State:       Stopped  stopped by the user\n")
                .contains("Desired:     Stopped");
    }
}
