package io.orchide.node.layout;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NodeLayoutTest {
    private final NodeLayout layout = NodeLayout.of(Path.of("/var/lib/orchide"));

    @Test
    void namesStayWhereExistingDataDirectoriesHaveThem() {
        // an agent upgraded in orbit finds the files an older agent wrote: these names are an on-disk contract
        assertThat(layout.database()).isEqualTo(Path.of("/var/lib/orchide/node.db"));
        assertThat(layout.linkDatabase()).isEqualTo(Path.of("/var/lib/orchide/link.db"));
        assertThat(layout.agentLock()).isEqualTo(Path.of("/var/lib/orchide/agent.lock"));
        assertThat(layout.workloadAttempt("hello", 3)).isEqualTo(Path.of("/var/lib/orchide/workloads/hello/runs/3"));
        assertThat(layout.workloadConsole("hello")).isEqualTo(Path.of("/var/lib/orchide/workloads/hello/console.log"));
        assertThat(layout.stepAttempt("r-000001", "filter", 2, 1))
                .isEqualTo(Path.of("/var/lib/orchide/pipelines/runs/r-000001/filter.2/1"));
        assertThat(layout.stepAttempt("r-000001", "filter", null, 1))
                .isEqualTo(Path.of("/var/lib/orchide/pipelines/runs/r-000001/filter/1"));
        assertThat(layout.workspaces()).isEqualTo(Path.of("/var/lib/orchide/pipelines/workspaces"));
        assertThat(layout.outbox()).isEqualTo(Path.of("/var/lib/orchide/outbox"));
        assertThat(layout.dataset("camera")).isEqualTo(Path.of("/var/lib/orchide/datasets/camera"));
    }

    @Test
    void aRelativeDataDirectoryIsResolvedOnce() {
        NodeLayout relative = NodeLayout.of(Path.of("data/../node-1"));
        assertThat(relative.root()).isAbsolute().isEqualTo(Path.of("node-1").toAbsolutePath());
    }

    @Test
    void aNameThatWouldLeaveItsDirectoryIsRefusedWithTheName() {
        assertThatThrownBy(() -> layout.workload("../etc")).hasMessageContaining("'../etc'");
        assertThatThrownBy(() -> layout.dataset("..")).hasMessageContaining("'..'");
        assertThatThrownBy(() -> layout.stepAttempt("r-1", "a/b", null, 1)).hasMessageContaining("'a/b'");
    }
}
